using Edge.Micro.Audio.FrontEnd;

namespace Edge.Micro.Host.Native;

/// <summary>The native micro front end (interop/frontend, micro_speech tables built into the library) through P/Invoke.</summary>
public sealed class NativeMicroFrontend : IFeatureExtractor
{
    private const int ChannelCount = 40;
    private const int WindowSamples = 480;
    private readonly uint[] _noise = new uint[ChannelCount];

    /// <inheritdoc />
    public string Name => "native";

    /// <inheritdoc />
    public int FrameSamples => WindowSamples;

    /// <inheritdoc />
    public int FrameBytes => ChannelCount;

    /// <inheritdoc />
    public unsafe void Extract(short[] samples, int offset, byte[] output, int outputOffset)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + WindowSamples, samples.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outputOffset + ChannelCount, output.Length);
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
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + WindowSamples, samples.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(featureOffset + ChannelCount, features.Length);
        fixed (sbyte* f = &features[featureOffset])
        {
            Process(samples, offset, f);
        }
    }

    // One window of WindowSamples (bounds already checked) into ChannelCount features at a pinned address.
    private unsafe void Process(short[] samples, int offset, sbyte* features)
    {
        fixed (uint* noise = _noise)
        fixed (short* s = &samples[offset])
        {
            int status = NativeMethods.MicroFrontendProcess(noise, s, features, null);
            if (status != 0)
            {
                throw new InvalidOperationException($"native front end status {status}");
            }
        }
    }
}
