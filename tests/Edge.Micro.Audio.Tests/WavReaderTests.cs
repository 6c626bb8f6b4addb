using Edge.Micro.Host.Audio;
using NAudio.Wave;

namespace Edge.Micro.Audio.Tests;

/// <summary>Odd WAV files are converted correctly or refused with a clear message, never a crash.</summary>
public class WavReaderTests
{
    private static string Temp(string name) => Path.Combine(Directory.CreateTempSubdirectory("edge-micro-wav").FullName, name);

    // A 1 kHz tone, 0.5 s, in the given format.
    private static string Write(WaveFormat format, string name)
    {
        string path = Temp(name);
        using (var writer = new WaveFileWriter(path, format))
        {
            int frames = format.SampleRate / 2;
            var samples = new float[frames * format.Channels];
            for (int i = 0; i < frames; i++)
            {
                for (int c = 0; c < format.Channels; c++)
                {
                    samples[i * format.Channels + c] = 0.5f * MathF.Sin(2 * MathF.PI * 1000 * i / format.SampleRate);
                }
            }

            writer.WriteSamples(samples, 0, samples.Length);
        }

        return path;
    }

    [Theory]
    [InlineData(16000, 16, 1, false)]
    [InlineData(16000, 16, 2, true)]
    [InlineData(8000, 16, 1, true)]
    [InlineData(44100, 16, 1, true)]
    [InlineData(48000, 24, 2, true)]
    [InlineData(16000, 24, 1, true)]
    public void Pcm_files_become_half_a_second_of_16kHz_mono(int rate, int bits, int channels, bool converted)
    {
        WavReader.Result r = WavReader.Read(Write(new WaveFormat(rate, bits, channels), $"tone_{rate}_{bits}_{channels}.wav"));
        Assert.Equal(converted, r.Converted);
        Assert.InRange(r.Samples.Length, 7900, 8100);
        Assert.InRange(r.Samples.Max(s => (int)s), 14000, 18000); // amplitude 0.5 survives conversion
    }

    [Fact]
    public void Float_files_are_converted()
    {
        WavReader.Result r = WavReader.Read(Write(WaveFormat.CreateIeeeFloatWaveFormat(22050, 1), "float.wav"));
        Assert.True(r.Converted);
        Assert.InRange(r.Samples.Length, 7900, 8100);
    }

    [Fact]
    public void A_text_file_named_wav_is_refused_clearly()
    {
        string path = Temp("notes.wav");
        File.WriteAllText(path, "this is not audio");
        var e = Assert.Throws<WavFormatException>(() => WavReader.Read(path));
        Assert.Contains("not a readable WAV file", e.Message);
    }

    [Fact]
    public void A_truncated_header_is_refused_clearly()
    {
        string good = Write(new WaveFormat(16000, 16, 1), "good.wav");
        string path = Temp("truncated.wav");
        File.WriteAllBytes(path, File.ReadAllBytes(good)[..30]);
        Assert.Throws<WavFormatException>(() => WavReader.Read(path));
    }

    [Fact]
    public void A_file_without_samples_reads_as_empty()
    {
        string path = Temp("empty.wav");
        using (new WaveFileWriter(path, new WaveFormat(16000, 16, 1)))
        {
        }

        Assert.Empty(WavReader.Read(path).Samples);
    }

    [Fact]
    public void A_missing_file_is_refused_clearly()
    {
        var e = Assert.Throws<WavFormatException>(() => WavReader.Read("/nonexistent/clip.wav"));
        Assert.Contains("not found", e.Message);
    }
}
