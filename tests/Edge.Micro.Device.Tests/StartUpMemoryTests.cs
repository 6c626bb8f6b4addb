using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Device.Platform;
using Edge.Micro.Host.Audio;
using Edge.Micro.Host.Native;
using Edge.Micro.Host.Simulation;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.Runtime.Storage;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Device.Tests;

/// <summary>
/// The managed heap the device loop takes at start-up, built as the ESP32 app builds it (firmware/Edge.Micro.Esp32/
/// Program.cs) with the shipped model: each part's allocations measured with GC.GetAllocatedBytesForCurrentThread
/// around its construction on the desktop CLR (64-bit object headers; nanoFramework's are smaller) and printed
/// (docs/firmware.md, "Managed heap at start-up"). The model stays in flash as on the board: in native memory for the
/// native kernels (the image's array), behind a reader for the managed ones (the app's resource); only its tables and,
/// for the managed kernels, one op's constants are on the managed heap. Issue 15's budget: 40 KB native, 56 KB managed.
/// </summary>
public class StartUpMemoryTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Start_up_allocations_of_the_device_loop_are_measured_part_by_part(bool native)
    {
        Assert.False(native && !NativeMethods.IsAvailable && Corpus.InCi, "CI=true: the native kernels must be built (scripts/build-native.sh)");
        Skip.If(native && !NativeMethods.IsAvailable, "native kernels not built (scripts/build-native.sh)");
        byte[] emm = File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"));
        using var imageFlash = new NativeModelMemory(emm);
        IModelReader flash = native ? imageFlash : new ByteArrayModelReader(emm);
        long Measure(Func<object> build, out object built)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            built = build();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long model = Measure(() => new Model(flash), out object m);
        IKernelSet kernels = native ? NativeKernels.Instance : ManagedKernels.Instance;
        long frontEnd = Measure(() => native ? new NativeMicroFrontend() : new MicroFrontend(MicroSpeechFrontendTables.Create()), out object fe);
        var port = new FakePort();
        var mic = new WavMicrophone(new short[16000], realtime: false, loop: true);
        long loop = Measure(() => new DeviceLoop((Model)m, kernels, (IFeatureExtractor)fe, ["silence", "unknown", "yes", "no"], Detector.IgnoredLabels,
            mic, new CountingIndicator(), port, new FakePlatform()), out object device);
        long total = model + frontEnd + loop;
        int window = ((Model)m).ConstantWindowBytes;

        log.WriteLine($"{(native ? "native" : "managed")} kernels and front end, models/yes_no.emm ({emm.Length:N0} B) left in flash:");
        log.WriteLine($"  Model (header, tables, decoded tables) {model,7:N0} B");
        log.WriteLine($"  front end                              {frontEnd,7:N0} B");
        log.WriteLine($"  DeviceLoop (arena, stream, shell...)   {loop,7:N0} B{(native ? "" : $" (with the {window:N0} B constant window)")}");
        log.WriteLine($"  total                                  {total,7:N0} B");
        Assert.True(total <= (native ? 40 : 56) * 1024, $"{total:N0} B of managed heap at start-up, over the {(native ? 40 : 56)} KB budget");
        Assert.True(((DeviceLoop)device).Model.ArenaBytes < loop, "the arena is allocated with the loop");
    }
}
