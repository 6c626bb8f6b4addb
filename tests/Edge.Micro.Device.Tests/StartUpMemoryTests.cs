using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Device.Platform;
using Edge.Micro.Host.Audio;
using Edge.Micro.Host.Native;
using Edge.Micro.Host.Simulation;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Device.Tests;

/// <summary>
/// The managed heap the device loop takes at start-up, built as the ESP32 app builds it (firmware/Edge.Micro.Esp32/
/// Program.cs) with the shipped model: each part's allocations measured with GC.GetAllocatedBytesForCurrentThread
/// around its construction on the desktop CLR (64-bit object headers; nanoFramework's are smaller) and printed
/// (docs/firmware.md, "Managed heap at start-up"). The model's bytes are counted apart: on the board they come from
/// Resources.GetBytes, one heap copy.
/// </summary>
public class StartUpMemoryTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Start_up_allocations_of_the_device_loop_are_measured_part_by_part(bool native)
    {
        Skip.If(native && !NativeMethods.IsAvailable, "native kernels not built (scripts/build-native.sh)");
        byte[] emm = File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"));
        long Measure(Func<object> build, out object built)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            built = build();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long modelCopy = Measure(() => emm.ToArray(), out object bytes);
        long model = Measure(() => new Model((byte[])bytes), out object m);
        IKernelSet kernels = native ? NativeKernels.Instance : ManagedKernels.Instance;
        long frontEnd = Measure(() => native ? new NativeMicroFrontend() : new MicroFrontend(MicroSpeechFrontendTables.Create()), out object fe);
        var port = new FakePort();
        var mic = new WavMicrophone(new short[16000], realtime: false, loop: true);
        long loop = Measure(() => new DeviceLoop((Model)m, kernels, (IFeatureExtractor)fe, ["silence", "unknown", "yes", "no"], Detector.IgnoredLabels,
            mic, new CountingIndicator(), port, new FakePlatform()), out object device);
        long total = modelCopy + model + frontEnd + loop;

        log.WriteLine($"{(native ? "native" : "managed")} kernels and front end, models/yes_no.emm:");
        log.WriteLine($"  model bytes (Resources.GetBytes copy) {modelCopy,7:N0} B");
        log.WriteLine($"  Model (decoded tables)                {model,7:N0} B");
        log.WriteLine($"  front end                             {frontEnd,7:N0} B");
        log.WriteLine($"  DeviceLoop (arena, stream, shell...)  {loop,7:N0} B");
        log.WriteLine($"  total                                 {total,7:N0} B");
        Assert.True(((DeviceLoop)device).Model.ArenaBytes < loop, "the arena is allocated with the loop");
    }
}
