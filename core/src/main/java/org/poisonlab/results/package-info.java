/**
 * The rows of the demo's {@code table.json} as records: what the experiment runners write (Jackson
 * writes each record's components in declaration order, under the names in {@code
 * docs/reference.md}) and what the terminal table and the report read back, typed. A leaf package:
 * it imports no other PoisonLab package, so {@code experiment} and {@code report} may both use it.
 */
package org.poisonlab.results;
