using Edge.Micro.Audio.FrontEnd;

namespace Edge.Micro.Host.Native;

/// <summary>
/// The native micro front end (interop/frontend) through P/Invoke: with the micro_speech tables built into the
/// library, or with any other configuration's tables (<see cref="NativeFrontendTables"/>).
/// </summary>
public sealed class NativeMicroFrontend : IFeatureExtractor
{
    private const int MicroSpeechChannels = 40;
    private const int MicroSpeechWindow = 480;
    private readonly NativeFrontendTables? _tables;
    private readonly int _channels;
    private readonly int _windowSamples;
    private readonly uint[] _noise;

    /// <summary>The micro_speech configuration compiled into the library (em_micro_frontend_process).</summary>
    public NativeMicroFrontend()
    {
        _channels = MicroSpeechChannels;
        _windowSamples = MicroSpeechWindow;
        _noise = new uint[_channels];
    }

    /// <summary>Any configuration: the tables stay pinned and in use for this front end's lifetime (em_frontend_process).</summary>
    public NativeMicroFrontend(NativeFrontendTables tables)
    {
        _tables = tables;
        _channels = tables.Tables.Channels;
        _windowSamples = tables.Tables.Window.Length;
        _noise = new uint[_channels];
    }

    /// <inheritdoc />
    public string Name => "native";

    /// <inheritdoc />
    public int FrameSamples => _windowSamples;

    /// <inheritdoc />
    public int FrameBytes => _channels;

    /// <inheritdoc />
    public unsafe void Extract(short[] samples, int offset, byte[] output, int outputOffset)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + _windowSamples, samples.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outputOffset + _channels, output.Length);
        fixed (byte* f = &output[outputOffset])
        {
            Process(samples, offset, (sbyte*)f);
        }
    }

    /// <inheritdoc />
    public void Reset() => Array.Clear(_noise);

    /// <summary>One frame into int8 features.</summary>
    public unsafe void ProcessFrame(short[] samples, int offset, sbyte[] features, int featureOffset)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + _windowSamples, samples.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(featureOffset + _channels, features.Length);
        fixed (sbyte* f = &features[featureOffset])
        {
            Process(samples, offset, f);
        }
    }

    // One window of _windowSamples (bounds already checked) into _channels features at a pinned address.
    private unsafe void Process(short[] samples, int offset, sbyte* features)
    {
        fixed (uint* noise = _noise)
        fixed (short* s = &samples[offset])
        {
            int status;
            if (_tables == null)
            {
                status = NativeMethods.MicroFrontendProcess(noise, s, features, null);
            }
            else
            {
                NativeFrontendTables.Native t = _tables.Struct;
                status = NativeMethods.FrontendProcess(&t, noise, s, features, null);
            }

            if (status != 0)
            {
                throw new InvalidOperationException($"native front end status {status}");
            }
        }
    }
}
