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
    [InlineData(16)] // 256-point FFT: kissfft factors 4,4,4,2 of the 128-point complex transform
    [InlineData(50)] // 1024-point FFT: 4,4,4,4,2
    public void Native_equals_managed_when_the_fft_needs_a_radix_2_stage(int windowMs)
    {
        // micro_speech's 512-point FFT factors into radix-4 stages only; other window lengths reach kissfft's
        // radix-2 butterfly, in both front ends, through tables built for that configuration.
        RequireNative();
        MicroFrontendTables tables = MicroFrontendTableBuilder.Build(new MicroFrontendConfig { WindowMs = windowMs, StrideMs = windowMs / 2 });
        Assert.Equal(2, tables.Factors[^2]);
        using var pinned = new NativeFrontendTables(tables);
        var managed = new MicroFrontend(tables);
        var native = new NativeMicroFrontend(pinned);
        var random = new Random(windowMs);
        var samples = new short[16000];
        for (int i = 0; i < samples.Length; i++)
        {
            // A chirp plus noise: energy across the band, so every FFT bin and filterbank channel is exercised.
            double phase = 2 * Math.PI * (100 * i + 0.2 * i * i) / 16000;
            samples[i] = (short)Math.Clamp(8000 * Math.Sin(phase) + random.Next(-500, 501), short.MinValue, short.MaxValue);
        }

        var a = new sbyte[tables.Channels];
        var b = new sbyte[tables.Channels];
        int window = tables.Window.Length, frames = 0, distinct = 0;
        for (int f = 0; f + window <= samples.Length; f += tables.WindowShift, frames++)
        {
            managed.ProcessFrame(samples, f, a, 0);
            native.ProcessFrame(samples, f, b, 0);
            Assert.Equal(a, b);
            distinct += a.Distinct().Count();
        }

        Assert.True(frames > 20 && distinct > frames * 5, $"{frames} frames, {distinct} distinct values: the features barely vary");
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
