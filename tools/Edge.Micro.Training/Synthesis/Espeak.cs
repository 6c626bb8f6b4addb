using System.Diagnostics;

namespace Edge.Micro.Training.Synthesis;

/// <summary>espeak-ng could not run or returned no audio.</summary>
public sealed class SpeechSynthesisException(string message) : Exception(message);

/// <summary>Renders text with the espeak-ng command-line synthesizer (Debian package espeak-ng).</summary>
public static class Espeak
{
    /// <summary>The program name looked up on PATH.</summary>
    public const string Program = "espeak-ng";

    /// <summary>True when espeak-ng can be started.</summary>
    public static bool IsAvailable()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(Program, "--version") { RedirectStandardOutput = true, RedirectStandardError = true });
            p!.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Speaks <paramref name="text"/> with a voice ("en-us+m3"), a speed in words per minute and a pitch
    /// (0-99), and returns the audio at 16 kHz as floats in [-1, 1].
    /// </summary>
    public static float[] Render(string text, string voice, int wordsPerMinute, int pitch)
    {
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-v", voice, "-s", wordsPerMinute.ToString(), "-p", pitch.ToString(), "--stdout", text })
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new SpeechSynthesisException($"{Program} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SpeechSynthesisException($"{Program} is not installed ({e.Message}); install the Debian package espeak-ng (scripts/install-deps.sh espeak-ng)");
        }

        using (process)
        {
            using var buffer = new MemoryStream();
            Task<string> errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.BaseStream.CopyTo(buffer);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new SpeechSynthesisException($"{Program} -v {voice} failed ({process.ExitCode}): {errors.Result.Trim()}");
            }

            (float[] samples, int rate) = ParseWav(buffer.ToArray(), voice);
            return Resampler.Resample(samples, (double)rate / SynthesisConstants.SampleRate);
        }
    }

    // espeak-ng writes a streaming WAV header (sizes 0x7fffffff): take the fmt chunk's rate and every byte after "data".
    private static (float[] Samples, int Rate) ParseWav(byte[] wav, string voice)
    {
        if (wav.Length < 44 || wav[0] != 'R' || wav[1] != 'I' || wav[8] != 'W')
        {
            throw new SpeechSynthesisException($"{Program} -v {voice} returned no WAV audio");
        }

        int rate = BitConverter.ToInt32(wav, 24);
        int pos = 12;
        while (pos + 8 <= wav.Length)
        {
            int size = BitConverter.ToInt32(wav, pos + 4);
            if (wav[pos] == 'd' && wav[pos + 1] == 'a' && wav[pos + 2] == 't' && wav[pos + 3] == 'a')
            {
                int start = pos + 8;
                var samples = new float[(wav.Length - start) / 2];
                for (int i = 0; i < samples.Length; i++)
                {
                    samples[i] = BitConverter.ToInt16(wav, start + 2 * i) / 32768f;
                }

                return (samples, rate);
            }

            pos += 8 + size;
        }

        throw new SpeechSynthesisException($"{Program} -v {voice} returned a WAV without a data chunk");
    }
}
