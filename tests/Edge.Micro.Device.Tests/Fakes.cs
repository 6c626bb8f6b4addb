using System.Diagnostics;
using System.Text;
using Edge.Micro.Converter;
using Edge.Micro.Device;
using Edge.Micro.Device.Platform;
using Edge.Micro.Host.Native;
using Edge.Micro.Host.Simulation;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Device.Tests;

/// <summary>A shell port fed from the test, with everything the shell wrote collected as lines.</summary>
public sealed class FakePort : IShellPort
{
    private readonly Queue<byte> _input = new();
    private readonly StringBuilder _output = new();

    public void Send(string text) => Send(Encoding.ASCII.GetBytes(text));

    public void Send(byte[] bytes)
    {
        foreach (byte b in bytes)
        {
            _input.Enqueue(b);
        }
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && _input.Count > 0)
        {
            buffer[offset + n++] = _input.Dequeue();
        }

        return n;
    }

    public void Write(byte[] buffer, int offset, int count) => _output.Append(Encoding.ASCII.GetString(buffer, offset, count));

    /// <summary>Lines written since the last call.</summary>
    public string[] TakeLines()
    {
        string text = _output.ToString();
        _output.Clear();
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }
}

/// <summary>The test's platform; its clock runs in real time plus whatever the test adds (<see cref="Advance"/>).</summary>
public sealed class FakePlatform : IPlatform
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _added;
    public int Reboots;
    public string FirmwareVersion => "test";
    public long Ticks => _clock.Elapsed.Ticks + Interlocked.Read(ref _added);

    /// <summary>Moves the clock forward, as slow work would.</summary>
    public void Advance(long ticks) => Interlocked.Add(ref _added, ticks);
    public long FreeMemory => 123456;
    public void Reboot() => Reboots++;
}

/// <summary>Builds devices for tests.</summary>
public static class TestDevice
{
    private static Model? _microSpeech;

    public static Model MicroSpeech() => _microSpeech ??=
        new Model(ModelConverter.Convert(File.ReadAllBytes(Corpus.PathOf("models", "micro_speech_quantized.tflite")), "micro_speech").Emm);

    public static short[] Clip(string name)
    {
        byte[] wav = File.ReadAllBytes(Corpus.PathOf("wav", name + ".wav"));
        return Enumerable.Range(0, (wav.Length - 44) / 2).Select(i => BitConverter.ToInt16(wav, 44 + 2 * i)).ToArray();
    }

    public static DeviceLoop Create(short[] audio, FakePort port, bool loop = false, bool preferNative = false, FakePlatform? platform = null,
        Func<IKernelSet, IKernelSet>? wrapKernels = null)
    {
        bool native = preferNative && NativeMethods.IsAvailable;
        IKernelSet kernels = native ? NativeKernels.Instance : ManagedKernels.Instance;
        return Simulator.CreateDevice(MicroSpeech(), wrapKernels?.Invoke(kernels) ?? kernels, native, new WavMicrophone(audio, realtime: false, loop),
            new CountingIndicator(), port, platform ?? new FakePlatform());
    }
}

/// <summary>Kernels that take <paramref name="ticksPerInference"/> longer per inference on the platform's clock (as IL-interpreted kernels on a board do).</summary>
public sealed class SlowKernels(IKernelSet inner, FakePlatform platform, long ticksPerInference) : IKernelSet
{
    public string Name => "managed";

    public void Prepare(Model model) => inner.Prepare(model);

    public int Run(Model model, int op, byte[] arena)
    {
        if (op == 0)
        {
            platform.Advance(ticksPerInference);
        }

        return inner.Run(model, op, arena);
    }
}
