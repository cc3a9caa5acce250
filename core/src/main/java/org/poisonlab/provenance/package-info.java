/**
 * Data provenance: a manifest of a dataset (per-example id, label and source, in order, under a
 * Merkle root), manifests of a sharded dataset under one signed root over the shard roots, Ed25519
 * signatures, verification that names what changed, and a download of an index of {@code {url,
 * sha256, source, normalized_sha256}} rows that keeps only content that is what the index recorded
 * (the split-view defense of Carlini et al. 2024), telling benign re-encoding from substitution.
 *
 * <p>Entry points: {@link org.poisonlab.provenance.Manifests}, {@link
 * org.poisonlab.provenance.ShardedManifests}, {@link org.poisonlab.provenance.Signatures}, {@link
 * org.poisonlab.provenance.VerifiedDownloads} and {@link org.poisonlab.provenance.Normalizations}.
 */
package org.poisonlab.provenance;
