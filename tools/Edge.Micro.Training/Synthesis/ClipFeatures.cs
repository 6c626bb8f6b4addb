using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Host.Audio;

namespace Edge.Micro.Training.Synthesis;

/// <summary>
/// The model's input for a clip, computed by the project's own micro front end (the code the device runs):
/// a fresh front end runs over some warm-up audio and the clip, and the 49 frames of the last second are
/// kept. Not thread-safe: one instance per thread.
/// </summary>
public sealed class ClipFeatures
{
    /// <summary>Samples between frames (20 ms).</summary>
    public const int StrideSamples = 320;

    /// <summary>
    /// A dataset clip's warm-up, drawn: half the clips none (a fresh front end, as in TFLM's clip tests), half
    /// 1-25 frames (as in a stream whose noise estimate has settled).
    /// </summary>
    public static int RandomWarmUpFrames(Random rng) =>
        rng.Next(2) == 0 ? 0 : 1 + rng.Next(SynthesisConstants.WarmUpSamples / StrideSamples);

    private readonly MicroFrontend _frontEnd = new(MicroFrontendTableBuilder.Build(new MicroFrontendConfig()));
    private readonly sbyte[] _frame = new sbyte[SynthesisConstants.Channels];

    /// <summary>
    /// Writes the clip's <see cref="SynthesisConstants.FeatureBytes"/> int8 features to <paramref name="features"/>.
    /// The front end first sees up to <paramref name="warmUpFrames"/> strides of the audio before the last
    /// second: 0 is a fresh front end on the clip alone (as in TFLM's clip tests), more is like a running
    /// stream whose noise estimate has settled.
    /// </summary>
    public void Extract(short[] samples, Span<sbyte> features, int warmUpFrames = int.MaxValue)
    {
        int firstKept = samples.Length - SynthesisConstants.ClipSamples;
        if (firstKept < 0 || firstKept % StrideSamples != 0)
        {
            throw new ArgumentException($"a clip needs {SynthesisConstants.ClipSamples} samples plus a multiple of {StrideSamples} of warm-up; got {samples.Length}");
        }

        int start = firstKept - Math.Min(firstKept / StrideSamples, Math.Max(0, warmUpFrames)) * StrideSamples;
        _frontEnd.Reset();
        for (int offset = start, kept = 0; kept < SynthesisConstants.Frames; offset += StrideSamples)
        {
            _frontEnd.ProcessFrame(samples, offset, _frame, 0);
            if (offset >= firstKept)
            {
                _frame.CopyTo(features.Slice(kept * SynthesisConstants.Channels, SynthesisConstants.Channels));
                kept++;
            }
        }
    }
}
