namespace Edge.Micro.Training.Synthesis;

/// <summary>Writes 16 kHz mono 16-bit PCM WAV files.</summary>
public static class WavWriter
{
    /// <summary>Writes <paramref name="samples"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, ReadOnlySpan<short> samples, int sampleRate = SynthesisConstants.SampleRate)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder != null)
        {
            Directory.CreateDirectory(folder);
        }

        using var w = new BinaryWriter(File.Create(path));
        int dataBytes = samples.Length * 2;
        w.Write("RIFF"u8);
        w.Write(36 + dataBytes);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1); // PCM
        w.Write((short)1); // mono
        w.Write(sampleRate);
        w.Write(sampleRate * 2);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(dataBytes);
        foreach (short s in samples)
        {
            w.Write(s);
        }
    }
}
