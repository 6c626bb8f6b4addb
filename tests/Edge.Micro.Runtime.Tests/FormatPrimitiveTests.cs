using CsCheck;
using Edge.Micro.Converter.Lowering;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Runtime.Tests;

/// <summary>The nanoFramework-safe replacements for framework helpers agree with the framework.</summary>
public class FormatPrimitiveTests
{
    [Fact]
    public void FloatBits_round_trips_every_kind_of_float()
    {
        Gen.Int.Sample(bits =>
        {
            float f = BitConverter.Int32BitsToSingle(bits);
            if (float.IsNaN(f))
            {
                Assert.True(float.IsNaN(FloatBits.FromBits(bits)));
                return;
            }

            Assert.Equal(bits, FloatBits.ToBits(f));
            Assert.Equal(bits, BitConverter.SingleToInt32Bits(FloatBits.FromBits(bits)));
        });
    }

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(-0.5, -1)]
    [InlineData(1.4999999, 1)]
    [InlineData(2.5, 3)]
    [InlineData(-2.5, -3)]
    [InlineData(1e12, int.MaxValue)]
    [InlineData(-1e12, int.MinValue)]
    [InlineData(double.NaN, 0)]
    public void RoundHalfAwayFromZero_matches_std_round(double value, int expected)
    {
        Assert.Equal(expected, QuantizeKernels.RoundHalfAwayFromZero(value));
    }

    [Fact]
    public void RoundHalfAwayFromZero_matches_Math_Round()
    {
        Gen.Double[-1e9, 1e9].Sample(v => Assert.Equal((int)Math.Round(v, MidpointRounding.AwayFromZero), QuantizeKernels.RoundHalfAwayFromZero(v)));
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        byte[] data = "123456789"u8.ToArray();
        Assert.Equal(0xCBF43926u, Crc32.Compute(data, 0, data.Length));
    }

    [Fact]
    public void QuantizeMultiplier_reconstructs_the_real_multiplier()
    {
        Gen.Double[1e-9, 1e4].Sample(real =>
        {
            var (m, s) = QuantizationMath.QuantizeMultiplier(real);
            Assert.InRange(m, 1 << 30, int.MaxValue);
            double back = m / 2147483648.0 * Math.Pow(2, s);
            Assert.InRange(back, real * (1 - 1e-9), real * (1 + 1e-9));
        });
    }
}
