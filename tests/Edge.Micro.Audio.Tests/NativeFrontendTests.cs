using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Host.Audio;
using Edge.Micro.Host.Native;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Audio.Tests;

/// <summary>The native front end equals the managed one, frame by frame, on corpus clips and on random audio.</summary>
public class NativeFrontendTests
{
    private static void RequireNative()
    {
        if (!NativeMethods.IsAvailable)
        {
            Assert.False(Corpus.InCi, "libedge_micro_native not found (CI=true: a failure)");
            Skip.If(true, "libedge_micro_native not found: run scripts/build-native.sh");
        }
    }

    [SkippableFact]
    public void Native_equals_managed_on_random_and_loud_audio()
    {
        RequireNative();
        var managed = new MicroFrontend(MicroFrontendTableBuilder.Build(new MicroFrontendConfig()));
        var native = new NativeMicroFrontend();
        var random = new Random(7);
        var samples = new short[16000];
        for (int trial = 0; trial < 6; trial++)
        {
            int amplitude = trial switch { 0 => 0, 1 => 10, 2 => 1000, 3 => 20000, _ => 32768 };
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = (short)Math.Clamp(random.Next(-amplitude, amplitude + 1), short.MinValue, short.MaxValue);
            }

            if (trial == 5)
            {
                Array.Fill(samples, short.MinValue, 8000, 480); // full-scale clipping
            }

            managed.Reset();
            native.Reset();
            var a = new sbyte[40];
            var b = new sbyte[40];
            for (int f = 0; f + 480 <= samples.Length; f += 320)
            {
                managed.ProcessFrame(samples, f, a, 0);
                native.ProcessFrame(samples, f, b, 0);
                Assert.Equal(a, b);
            }
        }
    }

    [SkippableTheory]
    [InlineData("yes_1000ms")]
    [InlineData("noise_1000ms")]
    public void Native_reproduces_the_corpus_features(string clip)
    {
        RequireNative();
        byte[] wav = File.ReadAllBytes(Corpus.PathOf("wav", clip + ".wav"));
        short[] samples = Enumerable.Range(0, (wav.Length - 44) / 2).Select(i => BitConverter.ToInt16(wav, 44 + 2 * i)).ToArray();
        byte[] expected = File.ReadAllBytes(Corpus.PathOf("audio_preprocessor", "wav_" + clip, "features_int8.bin"));
        var native = new NativeMicroFrontend();
        var features = new sbyte[expected.Length];
        for (int f = 0; f < expected.Length / 40; f++)
        {
            native.ProcessFrame(samples, f * 320, features, f * 40);
        }

        Assert.Equal(expected, (byte[])(Array)features);
    }
}
