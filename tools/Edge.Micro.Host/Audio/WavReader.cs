using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace Edge.Micro.Host.Audio;

/// <summary>A WAV file that cannot be used, with a message a user can act on.</summary>
public sealed class WavFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads WAV files with NAudio into 16 kHz mono 16-bit samples: 16 kHz mono 16-bit PCM is used as is; other
/// rates, channel counts and sample formats (8/24/32-bit PCM, 32-bit float) are mixed down to mono and
/// resampled; anything NAudio cannot read as WAV is refused with a clear message.
/// </summary>
public static class WavReader
{
    /// <summary>The rate every front end here expects.</summary>
    public const int TargetSampleRate = 16000;

    /// <summary>What <see cref="Read"/> did to the file.</summary>
    public sealed record Result(short[] Samples, string Description, bool Converted);

    /// <summary>Reads and, if needed, converts a WAV file.</summary>
    public static Result Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new WavFormatException($"audio file not found: {path}");
        }

        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(path);
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or InvalidDataException or ArgumentException or IOException)
        {
            throw new WavFormatException($"{path} is not a readable WAV file ({e.Message}); give a RIFF/WAVE file, e.g. 16 kHz mono 16-bit PCM", e);
        }

        using (reader)
        {
            WaveFormat f = reader.WaveFormat;
            string description = $"{f.SampleRate} Hz, {f.Channels} channel(s), {f.BitsPerSample}-bit {f.Encoding}";
            bool native = f.Encoding == WaveFormatEncoding.Pcm && f.SampleRate == TargetSampleRate && f.Channels == 1 && f.BitsPerSample == 16;
            try
            {
                if (native)
                {
                    var bytes = new byte[reader.Length];
                    int read = reader.Read(bytes, 0, bytes.Length);
                    var samples = new short[read / 2];
                    Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
                    return new Result(samples, description, false);
                }

                if (f.Encoding is not (WaveFormatEncoding.Pcm or WaveFormatEncoding.IeeeFloat or WaveFormatEncoding.Extensible))
                {
                    throw new WavFormatException($"{path}: {f.Encoding} audio is not supported; convert it to PCM or float WAV");
                }

                ISampleProvider provider = reader.ToSampleProvider();
                if (provider.WaveFormat.Channels > 1)
                {
                    provider = new MonoMixer(provider);
                }

                if (provider.WaveFormat.SampleRate != TargetSampleRate)
                {
                    provider = new WdlResamplingSampleProvider(provider, TargetSampleRate);
                }

                var output = new List<short>();
                var buffer = new float[4096];
                int n;
                while ((n = provider.Read(buffer, 0, buffer.Length)) > 0)
                {
                    for (int i = 0; i < n; i++)
                    {
                        output.Add((short)Math.Clamp(Math.Round(buffer[i] * 32768.0), short.MinValue, short.MaxValue));
                    }
                }

                return new Result(output.ToArray(), description, true);
            }
            catch (Exception e) when (e is not WavFormatException and (FormatException or EndOfStreamException or InvalidDataException or ArgumentException or IOException or NotSupportedException))
            {
                throw new WavFormatException($"{path} ({description}) cannot be decoded: {e.Message}", e);
            }
        }
    }

    /// <summary>Averages all channels into one.</summary>
    private sealed class MonoMixer(ISampleProvider source) : ISampleProvider
    {
        private readonly int _channels = source.WaveFormat.Channels;
        private float[] _buffer = [];

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, 1);

        public int Read(float[] buffer, int offset, int count)
        {
            int needed = count * _channels;
            if (_buffer.Length < needed)
            {
                _buffer = new float[needed];
            }

            int read = source.Read(_buffer, 0, needed) / _channels;
            for (int i = 0; i < read; i++)
            {
                float sum = 0;
                for (int c = 0; c < _channels; c++)
                {
                    sum += _buffer[i * _channels + c];
                }

                buffer[offset + i] = sum / _channels;
            }

            return read;
        }
    }
}
