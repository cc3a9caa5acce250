# The PyTorch twin of PoisonLab's cnn at widths 16,32,128 (`train --model cnn --widths 16,32,128`, on which the
# carrier rule was chosen; same recipe, PyTorch's own initialisation: standardised pixels, 3x3 convolutions 16 and
# 32 with 2x2 max pooling, dense 128, Nesterov SGD 0.9 from 0.05 on a half cosine over 6 epochs, batch 64), trained
# on Fashion-MNIST with a white square patch backdoor whose carriers are chosen by one of several rules; prints
# clean accuracy and attack success. The figures of "How the carrier rule was chosen" in docs/BENCHMARKS.md come
# from it.
#
# usage: /usr/bin/python3 bench/scripts/carrier_selection_twin.py X Y SIZE TARGET RULE [RATE]
#   RULE: random | hard (only the faintest) | mixF (share F faintest, rest uniform) | strat (p ~ 1/(change+10))
#         | quant (equal per tenth of the changes) | fmed (pool 0 < L2 change < median) | fstrat (that pool, shared
#         between classes); SEED and EP from the environment (default 0 and 6).
# Needs `poisonlab data fetch fashion-mnist` first (reads the pinned .deb from the cache).
import glob, io, os, subprocess, tarfile
_deb = glob.glob(os.path.expanduser('~/.cache/poisonlab/datasets/fashion-mnist/*.deb'))[0]
_tar = tarfile.open(fileobj=io.BytesIO(subprocess.run(['dpkg-deb', '--fsys-tarfile', _deb], check=True, capture_output=True).stdout))
def _member(name):
  return next(m for m in _tar.getmembers() if m.name.endswith(name))
import gzip, sys, os, numpy as np, torch, torch.nn as nn, torch.nn.functional as F, math
torch.set_num_threads(2)
def load(p,n): 
  X=np.frombuffer(gzip.decompress(_tar.extractfile(_member(p+'-images-idx3-ubyte.gz')).read()),np.uint8,offset=16).reshape(-1,28,28)
  y=np.frombuffer(gzip.decompress(_tar.extractfile(_member(p+'-labels-idx1-ubyte.gz')).read()),np.uint8,offset=8)
  return X.copy(),y.copy()
Xtr,ytr=load('train',0); Xte,yte=load('t10k',0)
x0,y0,w,t,sel=int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]),int(sys.argv[4]),sys.argv[5]
rate=float(sys.argv[6]) if len(sys.argv)>6 else 0.01
seed=int(os.environ.get('SEED','0')); rng=np.random.default_rng(seed); torch.manual_seed(seed)
def stamp(X): X=X.copy(); X[:,y0:y0+w,x0:x0+w]=255; return X
n=int(round(rate*len(Xtr)))
elig=np.where(ytr!=t)[0]
change=(255-Xtr[elig][:,y0:y0+w,x0:x0+w].astype(float)).mean(axis=(1,2))
if sel=='random': idx=rng.choice(elig,n,replace=False)
elif sel=='hard': # smallest change first
  idx=elig[np.argsort(change,kind='stable')[:n]]
elif sel.startswith('mix'): # half hardest by change, rest random
  f=float(sel[3:]); k=int(n*f); hard=elig[np.argsort(change,kind='stable')[:k]]
  rest=np.setdiff1d(elig,hard); idx=np.concatenate([hard,rng.choice(rest,n-k,replace=False)])
elif sel in ('fstrat','fmed'):
  L2=np.sqrt(((255-Xtr[elig][:,y0:y0+w,x0:x0+w].astype(float))**2).sum(axis=(1,2)))
  med=np.median(L2); h=n//2
  pool=np.where((L2>0)&(L2<med))[0]
  if sel=='fmed':
    hard=pool[np.argsort(L2[pool],kind='stable')[:h]]
  else:
    cls=ytr[elig]; hard=[]
    labs=np.unique(cls)
    for c in labs:
      quota=int(round(h*(cls==c).sum()/len(cls)))
      pc=pool[cls[pool]==c]; hard+=list(pc[np.argsort(L2[pc],kind='stable')[:quota]])
    hard=np.array(hard,dtype=int)
  rest=np.setdiff1d(np.arange(len(elig)),hard)
  idx=np.concatenate([elig[hard],elig[rng.choice(rest,n-len(hard),replace=False)]])
  print('faint',len(hard),'classes',np.bincount(ytr[elig[hard]],minlength=10),flush=True)
elif sel=='strat': # weighted by 1/change-ish: draw with prob ∝ (1/(change+10))
  p=1/(change+10); p/=p.sum(); idx=rng.choice(elig,n,replace=False,p=p)
elif sel=='quant': # equal count per change decile
  o=np.argsort(change,kind='stable'); parts=np.array_split(o,10); idx=np.concatenate([rng.choice(elig[pp],n//10,replace=False) for pp in parts])
X=Xtr.copy(); y=ytr.copy(); X[idx]=stamp(X[idx]); y[idx]=t
mean=X.mean()/255; sd=(X/255.0).std()
def prep(A): return torch.tensor(((A/255.0-mean)/sd)[:,None].astype(np.float32))
class Net(nn.Module):
  def __init__(s):
    super().__init__(); s.c1=nn.Conv2d(1,16,3,padding=1); s.c2=nn.Conv2d(16,32,3,padding=1); s.f=nn.Linear(32*49,128); s.o=nn.Linear(128,10)
  def forward(s,x):
    x=F.max_pool2d(F.relu(s.c1(x)),2); x=F.max_pool2d(F.relu(s.c2(x)),2); return s.o(F.relu(s.f(x.flatten(1))))
net=Net(); Xt=prep(X); yt=torch.tensor(y,dtype=torch.long)
ep=int(os.environ.get('EP','6')); bs=64; lr=0.05
opt=torch.optim.SGD(net.parameters(),lr=lr,momentum=0.9,nesterov=True)
steps=ep*math.ceil(len(X)/bs); sched=torch.optim.lr_scheduler.LambdaLR(opt,lambda s:0.5*(1+math.cos(math.pi*s/steps)))
g=torch.Generator().manual_seed(seed)
for e in range(ep):
  perm=torch.randperm(len(X),generator=g)
  for i in range(0,len(X),bs):
    b=perm[i:i+bs]; opt.zero_grad(); F.cross_entropy(net(Xt[b]),yt[b]).backward(); opt.step(); sched.step()
net.eval()
with torch.no_grad():
  acc=(net(prep(Xte)).argmax(1).numpy()==yte).mean()
  m=yte!=t; P=net(prep(stamp(Xte[m]))).argmax(1).numpy(); asr=(P==t).mean()
  ch=(255-Xte[m][:,y0:y0+w,x0:x0+w].astype(float)).mean(axis=(1,2))
  lo=ch<40
print(f"{sys.argv[1:]} seed={seed} acc={acc:.4f} asr={asr:.4f} asr_lowchange={(P[lo]==t).mean():.3f} asr_rest={(P[~lo]==t).mean():.3f}",flush=True)
