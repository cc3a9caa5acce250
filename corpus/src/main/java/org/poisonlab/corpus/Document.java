package org.poisonlab.corpus;

/**
 * One document of a corpus.
 *
 * @param lineage where it came from
 * @param source the unit a user trusts or removes as a whole: the record's {@code source} field,
 *     else its URL's host, else its file name
 * @param text the document's text
 */
public record Document(Lineage lineage, String source, String text) {}
