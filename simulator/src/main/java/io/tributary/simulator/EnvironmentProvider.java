package io.tributary.simulator;

import java.util.Map;

/**
 * Service-provider interface that makes an environment available by name. List the implementing class
 * in {@code META-INF/services/io.tributary.simulator.EnvironmentProvider} of a jar on the classpath and
 * {@link Environments#create} finds it without any change to Tributary's code. One provider instance
 * serves the whole JVM, so {@link #create} may be called from several threads at once.
 */
public interface EnvironmentProvider {

    /** The name configs use to select this environment, e.g. {@code CartPole-v1}. */
    String name();

    /**
     * Creates one environment instance.
     *
     * @param options environment options from the config ({@code tributary.simulator.env.options}); unknown keys
     *                must be rejected with {@link IllegalArgumentException} naming the key
     */
    Environment create(Map<String, String> options);
}
