package io.tributary.learner.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.tributary.config.SettingsException;
import io.tributary.learner.LearnerSettings;

/** Resolves {@code tributary.learner.device} for the DJL learners, and describes where they compute. */
public final class Devices {
    private Devices() {
    }

    /**
     * The device for {@code auto | cpu | gpu}.
     *
     * @throws SettingsException for {@code gpu} when the engine sees none, or an unknown value
     */
    public static Device resolve(String setting) {
        Engine engine = Engine.getInstance();
        int gpus = engine.getGpuCount();
        switch (setting) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new SettingsException(LearnerSettings.PATH + ".device", setting,
                            "needs a GPU, but the " + engine.getEngineName() + " " + engine.getVersion()
                                    + " engine sees none (CPU-only natives or no CUDA device); use auto or cpu");
                }
                return Device.gpu();
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            default:
                throw new SettingsException(LearnerSettings.PATH + ".device", setting, "must be one of auto | cpu | gpu");
        }
    }

    /** {@code device} and the engine, e.g. {@code cpu() on PyTorch 2.7.1 (intra-op threads: 1, GPUs visible: 0)}. */
    public static String describe(Device device) {
        Engine engine = Engine.getInstance();
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "engine default");
        return device + " on " + engine.getEngineName() + " " + engine.getVersion() + " (intra-op threads: " + threads
                + ", GPUs visible: " + engine.getGpuCount() + ")";
    }
}
