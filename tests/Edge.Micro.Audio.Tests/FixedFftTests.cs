using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Host.Audio;

namespace Edge.Micro.Audio.Tests;

/// <summary>The kissfft-exact fixed-point FFT against a double-precision DFT, for radix-4-only and radix-2 lengths.</summary>
public class FixedFftTests
{
    [Theory]
    [InlineData(16, 256)]  // 128-point complex transform: stages 4, 4, 4, 2
    [InlineData(30, 512)]  // micro_speech: 4, 4, 4, 4
    [InlineData(50, 1024)] // 4, 4, 4, 4, 2
    public void Every_bin_is_the_dft_scaled_by_one_over_n_within_a_few_lsb(int windowMs, int fftLength)
    {
        MicroFrontendTables tables = MicroFrontendTableBuilder.Build(new MicroFrontendConfig { WindowMs = windowMs });
        Assert.Equal(fftLength, tables.FftLength);
        var fft = new FixedFft(tables);
        var random = new Random(fftLength);
        var input = new short[fftLength];
        var output = new short[fftLength + 2];
        double worst = 0, largest = 0;
        for (int trial = 0; trial < 4; trial++)
        {
            for (int i = 0; i < fftLength; i++)
            {
                input[i] = (short)random.Next(-16000, 16001);
            }

            fft.Forward(input, output);
            for (int k = 0; k <= fftLength / 2; k++)
            {
                double re = 0, im = 0;
                for (int n = 0; n < fftLength; n++)
                {
                    double angle = -2 * Math.PI * k * n / fftLength;
                    re += input[n] * Math.Cos(angle);
                    im += input[n] * Math.Sin(angle);
                }

                worst = Math.Max(worst, Math.Max(Math.Abs(output[2 * k] - re / fftLength), Math.Abs(output[2 * k + 1] - im / fftLength)));
                largest = Math.Max(largest, Math.Abs(re / fftLength));
            }
        }

        // Each stage rounds once per value; a wrong butterfly would be off by about the bins' size (hundreds).
        Assert.True(worst <= 4, $"worst bin error {worst:F2} LSB (largest bin {largest:F0})");
        Assert.True(largest > 100, $"bins too small to test: {largest:F0}");
    }
}
