/**
 * Secrets shared by the nodes of a cluster (docs/scale-out.md, "Shared secrets and the cluster key"): the server CA, the
 * connector CA, the token-signing keys, the admin credential's hash, the data key and the update-signing key, kept in the
 * database sealed with the cluster key each node reads from its configuration ({@link
 * dev.drawbridge.proxy.secrets.ClusterKey}), stored once by the first node and loaded by every other ({@link
 * dev.drawbridge.proxy.secrets.SharedSecrets}). Without a cluster key nothing here runs: the keys stay files in the data
 * directory.
 */
package dev.drawbridge.proxy.secrets;
