/**
 * Data provenance: a manifest of a dataset (per-example id, label and source, in order, under a
 * Merkle root), Ed25519 signatures over it, verification that names what changed, and a download of
 * an index of {@code {url, sha256, source}} rows that keeps only content matching its recorded hash
 * (the split-view defense of Carlini et al. 2024).
 *
 * <p>Entry points: {@link org.poisonlab.provenance.Manifests}, {@link
 * org.poisonlab.provenance.Signatures} and {@link org.poisonlab.provenance.VerifiedDownloads}.
 */
package org.poisonlab.provenance;
