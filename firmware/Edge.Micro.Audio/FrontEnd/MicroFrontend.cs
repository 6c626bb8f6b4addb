namespace Edge.Micro.Audio.FrontEnd
{
    /// <summary>
    /// The TFLM micro front end (the micro_speech example's audio_preprocessor: window, real FFT, energy, mel
    /// filterbank, square root, spectral-subtraction noise reduction, PCAN gain control, log, int8), in integer
    /// arithmetic, bit-exact with TFLM's signal library. One call per 30 ms frame (480 samples at 16 kHz); the
    /// noise estimate carries over between frames. Every stage's output stays readable for tests and the
    /// diagnostics console. No allocation after construction.
    /// </summary>
    public sealed class MicroFrontend : IFeatureExtractor
    {
        // The int8 conversion the micro_speech model expects: (value * 256 + 333) / 666 - 128, clamped.
        private const int FeatureMultiplier = 256;
        private const int FeatureRoundingOffset = 333;
        private const int FeatureDivisor = 666;
        private const int FeatureZeroPoint = -128;
        private const int PcanSnrBits = 12;
        private const int PcanOutputBits = 6;

        private readonly MicroFrontendTables _t;
        private readonly FixedFft _fft;

        /// <summary>Creates the front end with its tables (see <see cref="MicroFrontendTables"/>).</summary>
        public MicroFrontend(MicroFrontendTables tables)
        {
            _t = tables;
            _fft = new FixedFft(tables);
            int window = tables.Window.Length;
            Windowed = new short[window];
            FftInput = new short[tables.FftLength];
            Spectrum = new short[tables.FftLength + 2];
            Energy = new uint[tables.FftLength / 2 + 1];
            FilterbankWork = new ulong[tables.Channels + 1];
            Filterbank = new ulong[tables.Channels];
            SquareRoot = new uint[tables.Channels];
            NoiseEstimate = new uint[tables.Channels];
            Reduced = new uint[tables.Channels];
            Pcan = new uint[tables.Channels];
            Log = new short[tables.Channels];
        }

        /// <inheritdoc />
        public string Name { get { return "managed"; } }

        /// <summary>Samples per frame (the window length).</summary>
        public int FrameSamples { get { return _t.Window.Length; } }

        /// <inheritdoc />
        public int FrameBytes { get { return _t.Channels; } }

        /// <inheritdoc />
        public void Extract(short[] samples, int offset, byte[] output, int outputOffset)
        {
            Run(samples, offset);
            for (int i = 0; i < _t.Channels; i++)
            {
                output[outputOffset + i] = (byte)Feature(i);
            }
        }

        /// <summary>Features per frame (mel channels).</summary>
        public int Channels { get { return _t.Channels; } }

        /// <summary>Windowed samples of the last frame.</summary>
        public short[] Windowed { get; private set; }

        /// <summary>Auto-scaled, zero-padded FFT input of the last frame.</summary>
        public short[] FftInput { get; private set; }

        /// <summary>Bits the FFT input was scaled up by.</summary>
        public int FftScaleBits { get; private set; }

        /// <summary>FFT bins, re and im interleaved.</summary>
        public short[] Spectrum { get; private set; }

        /// <summary>Energy per bin (zero outside the used band).</summary>
        public uint[] Energy { get; private set; }

        /// <summary>Filterbank accumulators (channel + 1 values; the first is scratch).</summary>
        public ulong[] FilterbankWork { get; private set; }

        /// <summary>Mel filterbank energies.</summary>
        public ulong[] Filterbank { get; private set; }

        /// <summary>Square roots of the filterbank energies.</summary>
        public uint[] SquareRoot { get; private set; }

        /// <summary>Noise estimate per channel (state carried across frames).</summary>
        public uint[] NoiseEstimate { get; private set; }

        /// <summary>After spectral subtraction.</summary>
        public uint[] Reduced { get; private set; }

        /// <summary>After PCAN gain control.</summary>
        public uint[] Pcan { get; private set; }

        /// <summary>Log-scaled values.</summary>
        public short[] Log { get; private set; }

        /// <summary>Forgets the noise estimate (start of a new stream).</summary>
        public void Reset()
        {
            for (int i = 0; i < NoiseEstimate.Length; i++)
            {
                NoiseEstimate[i] = 0;
            }
        }

        /// <summary>
        /// Processes one frame of <see cref="FrameSamples"/> samples starting at <paramref name="offset"/> and
        /// writes <see cref="Channels"/> int8 features at <paramref name="featureOffset"/>.
        /// </summary>
        public void ProcessFrame(short[] samples, int offset, sbyte[] features, int featureOffset)
        {
            Run(samples, offset);
            for (int i = 0; i < _t.Channels; i++)
            {
                features[featureOffset + i] = Feature(i);
            }
        }

        // The int8 feature of channel i from the last frame's log value.
        private sbyte Feature(int i)
        {
            int v = (Log[i] * FeatureMultiplier + FeatureRoundingOffset) / FeatureDivisor + FeatureZeroPoint;
            return (sbyte)(v < -128 ? -128 : (v > 127 ? 127 : v));
        }

        private void Run(short[] samples, int offset)
        {
            ApplyWindow(samples, offset);
            AutoScale();
            _fft.Forward(FftInput, Spectrum);
            ComputeEnergy();
            AccumulateFilterbank();
            for (int i = 0; i < _t.Channels; i++)
            {
                SquareRoot[i] = SquareRoots.Sqrt64(Filterbank[i]) >> FftScaleBits;
            }

            SpectralSubtraction();
            GainControl();
            LogScale();
        }

        private void ApplyWindow(short[] samples, int offset)
        {
            short[] w = _t.Window;
            for (int i = 0; i < w.Length; i++)
            {
                int raw = (samples[offset + i] * w[i]) >> _t.WindowShift;
                Windowed[i] = (short)(raw < -32768 ? -32768 : (raw > 32767 ? 32767 : raw));
            }
        }

        private void AutoScale()
        {
            int max = 0;
            for (int i = 0; i < Windowed.Length; i++)
            {
                int v = Windowed[i];
                if (v > max)
                {
                    max = v;
                }
                else if (-v > max)
                {
                    max = (short)(-v);
                }
            }

            int scale = 16 - SquareRoots.MostSignificantBit((uint)(max & 0xFFFF)) - 1;
            FftScaleBits = scale < 0 ? 0 : scale;
            for (int i = 0; i < Windowed.Length; i++)
            {
                FftInput[i] = (short)(Windowed[i] * (1 << FftScaleBits));
            }

            for (int i = Windowed.Length; i < FftInput.Length; i++)
            {
                FftInput[i] = 0;
            }
        }

        private void ComputeEnergy()
        {
            for (int i = 0; i < Energy.Length; i++)
            {
                if (i < _t.EnergyStart || i >= _t.EnergyEnd)
                {
                    Energy[i] = 0;
                    continue;
                }

                int re = Spectrum[2 * i];
                int im = Spectrum[2 * i + 1];
                Energy[i] = (uint)(re * re + im * im);
            }
        }

        private void AccumulateFilterbank()
        {
            ulong weightAcc = 0;
            ulong unweightAcc = 0;
            for (int c = 0; c < _t.Channels + 1; c++)
            {
                int freqStart = _t.ChannelFrequencyStarts[c];
                int weightStart = _t.ChannelWeightStarts[c];
                int width = _t.ChannelWidths[c];
                for (int j = 0; j < width; j++)
                {
                    ulong e = Energy[freqStart + j];
                    weightAcc += (ulong)_t.Weights[weightStart + j] * e;
                    unweightAcc += (ulong)_t.Unweights[weightStart + j] * e;
                }

                FilterbankWork[c] = weightAcc;
                weightAcc = unweightAcc;
                unweightAcc = 0;
            }

            for (int c = 0; c < _t.Channels; c++)
            {
                Filterbank[c] = FilterbankWork[c + 1];
            }
        }

        private void SpectralSubtraction()
        {
            int bits = _t.SpectralSubtractionBits;
            int one = 1 << bits;
            for (int i = 0; i < _t.Channels; i++)
            {
                uint smoothing = (uint)((i & 1) == 0 ? _t.EvenSmoothing : _t.OddSmoothing);
                uint oneMinus = (uint)one - smoothing;
                uint signalScaledUp = SquareRoot[i] << _t.SmoothingBits;
                NoiseEstimate[i] = (uint)((((ulong)signalScaledUp * smoothing) + ((ulong)NoiseEstimate[i] * oneMinus)) >> bits);
                uint estimate = NoiseEstimate[i];
                if (estimate > signalScaledUp)
                {
                    estimate = signalScaledUp;
                }

                uint floor = (uint)(((ulong)SquareRoot[i] * (uint)_t.MinSignalRemaining) >> bits);
                uint subtracted = (signalScaledUp - estimate) >> _t.SmoothingBits;
                Reduced[i] = subtracted > floor ? subtracted : floor;
            }
        }

        private void GainControl()
        {
            for (int i = 0; i < _t.Channels; i++)
            {
                uint gain = (uint)WideDynamicFunction(NoiseEstimate[i], _t.PcanGainLut);
                uint snr = (uint)(((ulong)Reduced[i] * gain) >> _t.PcanSnrShift);
                Pcan[i] = Shrink(snr);
            }
        }

        // PCAN's piecewise quadratic interpolation of the gain curve (TFLM WideDynamicFunction).
        private static short WideDynamicFunction(uint x, short[] lut)
        {
            if (x <= 2)
            {
                return lut[x];
            }

            int interval = SquareRoots.MostSignificantBit(x);
            int at = 4 * interval - 6;
            int frac = (int)((interval < 11 ? (x << (11 - interval)) : (x >> (interval - 11))) & 0x3FF);
            int result = (lut[at + 2] * frac) >> 5;
            result += (int)((uint)lut[at + 1] << 5);
            result *= frac;
            result = (result + (1 << 14)) >> 15;
            result += lut[at];
            return (short)result;
        }

        // x^2/4 below 2, x - 1 above (SNR with 12 fractional bits in, 6 out).
        private static uint Shrink(uint x)
        {
            if (x < (2u << PcanSnrBits))
            {
                return (x * x) >> (2 + 2 * PcanSnrBits - PcanOutputBits);
            }

            return (x >> (PcanSnrBits - PcanOutputBits)) - (1u << PcanOutputBits);
        }

        private void LogScale()
        {
            for (int i = 0; i < _t.Channels; i++)
            {
                uint scaled = Pcan[i] << _t.LogCorrectionBits;
                if (scaled > 1)
                {
                    uint v = FixedLog.Log32(scaled, (uint)_t.LogOutputScale);
                    Log[i] = (short)(v < 32767 ? v : 32767);
                }
                else
                {
                    Log[i] = 0;
                }
            }
        }
    }
}
