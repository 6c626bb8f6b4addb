using Edge.Micro.Device;
using Edge.Micro.Device.Platform;
using Edge.Micro.Device.Update;
using Edge.Micro.Host.Audio;
using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Host.Simulation;

/// <summary>
/// The host simulator: the device's own <see cref="DeviceLoop"/> (the class the ESP32 app runs), with a WAV
/// file as the microphone and the shell on a stream (stdio or a pseudo-terminal).
/// </summary>
public static class Simulator
{
    /// <summary>Builds the device the board app would build, for a model and a microphone.</summary>
    public static DeviceLoop CreateDevice(Model model, IKernelSet kernels, bool nativeFrontEnd, IAudioSource mic, IIndicator indicator, IShellPort port, IPlatform platform)
    {
        string[] labels = Detector.LabelsFor(model, null);
        bool mfcc = Detector.FrontEndOf(model) == Edge.Micro.Runtime.Format.EmmFormat.FrontEndMfcc;
        IFeatureExtractor fe = mfcc ? new MfccFrontEnd(MfccTableBuilder.Build())
            : nativeFrontEnd ? new Native.NativeMicroFrontend() : new MicroFrontend(MicroFrontendTableBuilder.Build(new MicroFrontendConfig()));
        return new DeviceLoop(model, kernels, fe, labels, Detector.IgnoredLabels, mic, indicator, port, platform);
    }

    /// <summary>
    /// Runs until the recording ends and the shell input closes (or forever with <paramref name="loop"/> until
    /// the input closes); reboot rebuilds the device. With a <paramref name="store"/> the device runs the model of
    /// its active slot (the built-in <paramref name="model"/> until an update was committed) and keeps its settings there.
    /// </summary>
    public static int Run(Model model, IKernelSet kernels, bool nativeFrontEnd, short[] samples, bool realtime, bool loop, StreamShellPort port, TextWriter? log,
        IModelStore? store = null)
    {
        var platform = new HostPlatform();
        var indicator = new CountingIndicator();
        while (true)
        {
            var mic = new WavMicrophone(samples, realtime, loop);
            (Model running, int slot) = StartingModel(model, store, log);
            DeviceLoop device = CreateDevice(running, kernels, nativeFrontEnd, mic, indicator, port, platform);
            device.Store = store;
            device.ModelSlot = slot;
            log?.WriteLine($"simulator: {running.Name}{(slot >= 0 ? $" (store slot {slot})" : "")}, {kernels.Name} kernels, {samples.Length / 16} ms of audio{(loop ? ", looping" : "")}{(realtime ? ", real time" : "")}");
            platform.RebootRequested = false;
            while (!platform.RebootRequested)
            {
                int n = device.Step();
                if (n == 0)
                {
                    if (port.InputClosed && port.Idle && (mic.Finished || !realtime))
                    {
                        device.Shell.Poll();
                        return 0;
                    }

                    Thread.Sleep(mic.Finished ? 5 : 1);
                }
            }
        }
    }

    /// <summary>
    /// The model a device starts with: its store's active slot if that loads, else the built-in one (a slot that does
    /// not load is reported, never run).
    /// </summary>
    public static (Model Model, int Slot) StartingModel(Model builtIn, IModelStore? store, TextWriter? log)
    {
        int slot = store?.ActiveSlot ?? -1;
        if (slot < 0)
        {
            return (builtIn, -1);
        }

        try
        {
            return (new Model(store!.Open(slot)), slot);
        }
        catch (Exception e) when (e is ModelException or IOException)
        {
            log?.WriteLine($"simulator: store slot {slot} does not load ({e.Message}); running the built-in model");
            return (builtIn, -1);
        }
    }
}
