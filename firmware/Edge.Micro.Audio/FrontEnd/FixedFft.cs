namespace Edge.Micro.Audio.FrontEnd
{
    /// <summary>
    /// Fixed-point (Q15, int16) real FFT with exactly the arithmetic of kissfft 1.3.0 built with FIXED_POINT=16,
    /// as TFLM's SignalRfft uses it: every butterfly stage divides by its radix with rounding (so the output is
    /// scaled by 1/N), products round half up (sround), sums wrap to 16 bits like the C code's int16 stores.
    /// Radix-4 and radix-2 stages only: FFT lengths are powers of two. No allocation after construction.
    /// </summary>
    public sealed class FixedFft
    {
        private const int FracBits = 15;
        private const int SampleMax = 32767;

        private readonly short[] _twiddles;
        private readonly short[] _superTwiddles;
        private readonly int[] _factors;
        private readonly int _complexLength;
        private readonly short[] _work;

        /// <summary>Creates the transform for the tables' FFT length (twiddles from <see cref="MicroFrontendTables"/>).</summary>
        public FixedFft(MicroFrontendTables tables)
        {
            _complexLength = tables.FftLength / 2;
            _twiddles = tables.Twiddles;
            _superTwiddles = tables.SuperTwiddles;
            _factors = tables.Factors;
            _work = new short[2 * _complexLength];
        }

        /// <summary>
        /// Transforms FftLength real samples into FftLength / 2 + 1 complex bins, written re, im interleaved
        /// into <paramref name="output"/> (FftLength + 2 values).
        /// </summary>
        public void Forward(short[] input, short[] output)
        {
            int n = _complexLength;
            Work(_work, 0, input, 0, 1, 0);

            // Split the N/2-point complex transform of the interleaved samples into the N-point real transform.
            int dcR = _work[0];
            int dcI = _work[1];
            dcR = FixDiv(dcR, 2);
            dcI = FixDiv(dcI, 2);
            output[0] = (short)(dcR + dcI);
            output[1] = 0;
            output[2 * n] = (short)(dcR - dcI);
            output[2 * n + 1] = 0;
            for (int k = 1; k <= n / 2; k++)
            {
                int fpkR = FixDiv(_work[2 * k], 2);
                int fpkI = FixDiv(_work[2 * k + 1], 2);
                int fpnkR = FixDiv(_work[2 * (n - k)], 2);
                int fpnkI = FixDiv((short)-_work[2 * (n - k) + 1], 2);
                short f1kR = (short)(fpkR + fpnkR);
                short f1kI = (short)(fpkI + fpnkI);
                short f2kR = (short)(fpkR - fpnkR);
                short f2kI = (short)(fpkI - fpnkI);
                int twR = _superTwiddles[2 * (k - 1)];
                int twI = _superTwiddles[2 * (k - 1) + 1];
                short tR = Round(f2kR * twR - f2kI * twI);
                short tI = Round(f2kR * twI + f2kI * twR);
                output[2 * k] = (short)((f1kR + tR) >> 1);
                output[2 * k + 1] = (short)((f1kI + tI) >> 1);
                output[2 * (n - k)] = (short)((f1kR - tR) >> 1);
                output[2 * (n - k) + 1] = (short)((tI - f1kI) >> 1);
            }
        }

        // kissfft's sround: round half up, keep 16 bits.
        private static short Round(int x)
        {
            return (short)((x + (1 << (FracBits - 1))) >> FracBits);
        }

        // kissfft's C_FIXDIV for one component: x * (SAMP_MAX / div), rounded.
        private static short FixDiv(int x, int div)
        {
            return Round(x * (SampleMax / div));
        }

        // kf_work: decimation in time, recursing over the radix factors; input is read as complex pairs.
        private void Work(short[] fout, int outIndex, short[] f, int fIndex, int fstride, int factorIndex)
        {
            int p = _factors[factorIndex];
            int m = _factors[factorIndex + 1];
            int outEnd = outIndex + p * m;
            int o = outIndex;
            if (m == 1)
            {
                while (o != outEnd)
                {
                    fout[2 * o] = f[2 * fIndex];
                    fout[2 * o + 1] = f[2 * fIndex + 1];
                    fIndex += fstride;
                    o++;
                }
            }
            else
            {
                while (o != outEnd)
                {
                    Work(fout, o, f, fIndex, fstride * p, factorIndex + 2);
                    fIndex += fstride;
                    o += m;
                }
            }

            if (p == 4)
            {
                Butterfly4(fout, outIndex, fstride, m);
            }
            else
            {
                Butterfly2(fout, outIndex, fstride, m);
            }
        }

        private void Butterfly2(short[] f, int at, int fstride, int m)
        {
            int tw = 0;
            for (int k = 0; k < m; k++)
            {
                int a = 2 * (at + k);
                int b = 2 * (at + k + m);
                short aR = FixDiv(f[a], 2), aI = FixDiv(f[a + 1], 2);
                short bR = FixDiv(f[b], 2), bI = FixDiv(f[b + 1], 2);
                int wR = _twiddles[2 * tw], wI = _twiddles[2 * tw + 1];
                short tR = Round(bR * wR - bI * wI);
                short tI = Round(bR * wI + bI * wR);
                tw += fstride;
                f[b] = (short)(aR - tR);
                f[b + 1] = (short)(aI - tI);
                f[a] = (short)(aR + tR);
                f[a + 1] = (short)(aI + tI);
            }
        }

        private void Butterfly4(short[] f, int at, int fstride, int m)
        {
            int tw1 = 0, tw2 = 0, tw3 = 0;
            for (int k = 0; k < m; k++)
            {
                int i0 = 2 * (at + k);
                int i1 = 2 * (at + k + m);
                int i2 = 2 * (at + k + 2 * m);
                int i3 = 2 * (at + k + 3 * m);
                short f0R = FixDiv(f[i0], 4), f0I = FixDiv(f[i0 + 1], 4);
                short f1R = FixDiv(f[i1], 4), f1I = FixDiv(f[i1 + 1], 4);
                short f2R = FixDiv(f[i2], 4), f2I = FixDiv(f[i2 + 1], 4);
                short f3R = FixDiv(f[i3], 4), f3I = FixDiv(f[i3 + 1], 4);

                short s0R = Round(f1R * _twiddles[2 * tw1] - f1I * _twiddles[2 * tw1 + 1]);
                short s0I = Round(f1R * _twiddles[2 * tw1 + 1] + f1I * _twiddles[2 * tw1]);
                short s1R = Round(f2R * _twiddles[2 * tw2] - f2I * _twiddles[2 * tw2 + 1]);
                short s1I = Round(f2R * _twiddles[2 * tw2 + 1] + f2I * _twiddles[2 * tw2]);
                short s2R = Round(f3R * _twiddles[2 * tw3] - f3I * _twiddles[2 * tw3 + 1]);
                short s2I = Round(f3R * _twiddles[2 * tw3 + 1] + f3I * _twiddles[2 * tw3]);

                short s5R = (short)(f0R - s1R), s5I = (short)(f0I - s1I);
                f0R = (short)(f0R + s1R);
                f0I = (short)(f0I + s1I);
                short s3R = (short)(s0R + s2R), s3I = (short)(s0I + s2I);
                short s4R = (short)(s0R - s2R), s4I = (short)(s0I - s2I);
                f[i2] = (short)(f0R - s3R);
                f[i2 + 1] = (short)(f0I - s3I);
                tw1 += fstride;
                tw2 += fstride * 2;
                tw3 += fstride * 3;
                f[i0] = (short)(f0R + s3R);
                f[i0 + 1] = (short)(f0I + s3I);
                f[i1] = (short)(s5R + s4I);
                f[i1 + 1] = (short)(s5I - s4R);
                f[i3] = (short)(s5R - s4I);
                f[i3 + 1] = (short)(s5I + s4R);
            }
        }
    }
}
