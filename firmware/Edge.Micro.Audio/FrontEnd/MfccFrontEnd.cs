namespace Edge.Micro.Audio.FrontEnd
{
    /// <summary>
    /// The MFCC front end of Arm's "Hello Edge" DS-CNN models, as TensorFlow's audio_spectrogram + mfcc ops
    /// define it: samples / 32768, periodic Hann window (640), 1024-point zero-padded FFT, squared magnitude
    /// (stored as float, as the spectrogram op does), square root inside a 40-channel triangular mel filterbank
    /// (20-4000 Hz, mel = 1127 ln(1 + f/700)), natural log with a floor of 1e-12, DCT-II scaled by sqrt(2/40),
    /// first 10 coefficients, written as float32. Floating point: desktops and devices with an FPU.
    /// </summary>
    public sealed class MfccFrontEnd : IFeatureExtractor
    {
        private const double FilterbankFloor = 1e-12;
        private readonly MfccTables _t;
        private readonly double[] _re;
        private readonly double[] _im;
        private readonly double[] _power;
        private readonly double[] _mel;

        /// <summary>Creates the front end with its tables.</summary>
        public MfccFrontEnd(MfccTables tables)
        {
            _t = tables;
            _re = new double[tables.FftLength];
            _im = new double[tables.FftLength];
            _power = new double[tables.FftLength / 2 + 1];
            _mel = new double[tables.Channels];
            Coefficients = new float[tables.Coefficients];
        }

        /// <inheritdoc />
        public string Name { get { return "mfcc"; } }

        /// <inheritdoc />
        public int FrameSamples { get { return _t.Window.Length; } }

        /// <inheritdoc />
        public int FrameBytes { get { return 4 * _t.Coefficients; } }

        /// <summary>The coefficients of the last frame.</summary>
        public float[] Coefficients { get; private set; }

        /// <inheritdoc />
        public void Reset()
        {
        }

        /// <inheritdoc />
        public void Extract(short[] samples, int offset, byte[] output, int outputOffset)
        {
            int n = _t.FftLength;
            for (int i = 0; i < n; i++)
            {
                _re[i] = i < _t.Window.Length ? (samples[offset + i] / 32768.0f) * _t.Window[i] : 0;
                _im[i] = 0;
            }

            Fft();
            for (int i = 0; i <= n / 2; i++)
            {
                _power[i] = (float)(_re[i] * _re[i] + _im[i] * _im[i]);
            }

            for (int c = 0; c < _t.Channels; c++)
            {
                _mel[c] = 0;
            }

            for (int i = _t.StartIndex; i <= _t.EndIndex; i++)
            {
                double magnitude = FloatMath.Sqrt(_power[i]);
                double weighted = magnitude * _t.Weights[i];
                int channel = _t.BandMapper[i];
                if (channel >= 0)
                {
                    _mel[channel] += weighted;
                }

                channel++;
                if (channel < _t.Channels)
                {
                    _mel[channel] += magnitude - weighted;
                }
            }

            for (int c = 0; c < _t.Channels; c++)
            {
                _mel[c] = FloatMath.Log(_mel[c] < FilterbankFloor ? FilterbankFloor : _mel[c]);
            }

            for (int k = 0; k < _t.Coefficients; k++)
            {
                double sum = 0;
                for (int c = 0; c < _t.Channels; c++)
                {
                    sum += _mel[c] * _t.Dct[k * _t.Channels + c];
                }

                Coefficients[k] = (float)sum;
                Format.LittleEndianFloat.Write(output, outputOffset + 4 * k, Coefficients[k]);
            }
        }

        // In-place iterative radix-2 FFT of (_re, _im).
        private void Fft()
        {
            int n = _t.FftLength;
            for (int i = 1, j = 0; i < n; i++)
            {
                int bit = n >> 1;
                for (; (j & bit) != 0; bit >>= 1)
                {
                    j ^= bit;
                }

                j ^= bit;
                if (i < j)
                {
                    double tr = _re[i];
                    _re[i] = _re[j];
                    _re[j] = tr;
                    double ti = _im[i];
                    _im[i] = _im[j];
                    _im[j] = ti;
                }
            }

            for (int length = 2; length <= n; length <<= 1)
            {
                int half = length >> 1;
                int step = n / length;
                for (int start = 0; start < n; start += length)
                {
                    for (int k = 0; k < half; k++)
                    {
                        double wr = _t.Cos[k * step];
                        double wi = _t.Sin[k * step];
                        int a = start + k;
                        int b = a + half;
                        double xr = _re[b] * wr - _im[b] * wi;
                        double xi = _re[b] * wi + _im[b] * wr;
                        _re[b] = _re[a] - xr;
                        _im[b] = _im[a] - xi;
                        _re[a] += xr;
                        _im[a] += xi;
                    }
                }
            }
        }
    }
}
