using System;
using Edge.Micro.Audio.Streaming;
using Edge.Micro.Runtime;

namespace Edge.Micro.Audio.Recognition
{
    /// <summary>Receives what a <see cref="KeywordSpotter"/> produces.</summary>
    public interface IKeywordListener
    {
        /// <summary>The model ran at <paramref name="timeMs"/>; its int8 scores are at scores[offset..] (one per label); the recognizer has already averaged them.</summary>
        void Scores(long timeMs, byte[] scores, int offset);

        /// <summary>A keyword was recognized.</summary>
        void Detected(string label, int score, long timeMs);
    }

    /// <summary>
    /// The streaming wake-word path: PCM -> <see cref="FeatureStream"/> -> the model every N frames ->
    /// <see cref="KeywordRecognizer"/> -> events. All buffers are allocated at construction.
    /// </summary>
    public sealed class KeywordSpotter : IFrameListener
    {
        private readonly Interpreter _interpreter;
        private readonly FeatureStream _stream;
        private readonly KeywordRecognizer _recognizer;
        private readonly byte[] _window;
        private readonly byte[] _scores;
        private readonly byte[] _output;
        private readonly bool _floatOutput;
        private readonly int _sampleRate;
        private readonly int _strideSamples;
        private readonly int _frameSamples;
        private IKeywordListener _listener;

        /// <summary>Creates the pipeline; the model's input must hold one feature window, its output one score per label.</summary>
        public KeywordSpotter(Interpreter interpreter, FeatureStream stream, KeywordRecognizer recognizer, int sampleRate, int strideSamples, int frameSamples)
        {
            _interpreter = interpreter;
            _stream = stream;
            _recognizer = recognizer;
            Model m = interpreter.Model;
            if (m.ByteSize(m.InputTensor(0)) != stream.WindowBytes)
            {
                throw new ArgumentException("the model's input (" + m.ByteSize(m.InputTensor(0)) + " bytes) does not hold one feature window (" + stream.WindowBytes + " bytes)");
            }

            if (m.ElementCount(m.OutputTensor(0)) != recognizer.Labels.Length)
            {
                throw new ArgumentException("the model has " + m.ElementCount(m.OutputTensor(0)) + " outputs for " + recognizer.Labels.Length + " labels");
            }

            _window = new byte[stream.WindowBytes];
            _output = new byte[m.ByteSize(m.OutputTensor(0))];
            _floatOutput = m.TensorType(m.OutputTensor(0)) == Edge.Micro.Runtime.Format.ElementType.Float32;
            _scores = new byte[recognizer.Labels.Length];
            _sampleRate = sampleRate;
            _strideSamples = strideSamples;
            _frameSamples = frameSamples;
            InferenceEveryFrames = 1;
            Clock = SystemClock.Instance;
        }

        /// <summary>
        /// Frames of features the model takes per inference: its input bytes over one frame's bytes. 49 for a
        /// windowed model such as micro_speech; 1 for a streaming model (SVDF), whose state carries the past.
        /// </summary>
        public static int WindowFramesFor(Model model, int frameBytes)
        {
            int inputBytes = model.ByteSize(model.InputTensor(0));
            if (frameBytes < 1 || inputBytes % frameBytes != 0)
            {
                throw new ArgumentException("the model's input (" + inputBytes + " bytes) is not a whole number of feature frames (" + frameBytes + " bytes each)");
            }

            return inputBytes / frameBytes;
        }

        /// <summary>The clock that times the model and the recognizer (default: the system clock).</summary>
        public ITickSource Clock { get; set; }

        /// <summary>Run the model every this many new frames (default 1).</summary>
        public int InferenceEveryFrames { get; set; }

        /// <summary>Duration of the last inference in 100 ns ticks.</summary>
        public long LastInferenceTicks { get; private set; }

        /// <summary>Time spent in the model since start, in 100 ns ticks.</summary>
        public long ModelTicks { get; private set; }

        /// <summary>Time spent in the recognizer since start, in 100 ns ticks.</summary>
        public long RecognizerTicks { get; private set; }

        /// <summary>The interpreter.</summary>
        public Interpreter Interpreter { get { return _interpreter; } }

        /// <summary>Inferences so far.</summary>
        public long Inferences { get; private set; }

        /// <summary>The recognizer (thresholds, window and suppression can change while running).</summary>
        public KeywordRecognizer Recognizer { get { return _recognizer; } }

        /// <summary>Pushes samples[offset, offset + count) and reports scores and detections to <paramref name="listener"/>.</summary>
        public void Push(short[] samples, int offset, int count, IKeywordListener listener)
        {
            _listener = listener;
            _stream.Push(samples, offset, count, this);
            _listener = null;
        }

        // int8 outputs are the scores; float probabilities (a DEQUANTIZE at the end) go back to the int8
        // softmax scale (1/256, zero point -128) the recognizer works in.
        private void ToScores()
        {
            if (!_floatOutput)
            {
                Array.Copy(_output, _scores, _scores.Length);
                return;
            }

            for (int i = 0; i < _scores.Length; i++)
            {
                float p = Edge.Micro.Runtime.Format.LittleEndian.ReadSingle(_output, 4 * i);
                int q = Edge.Micro.Runtime.Kernels.QuantizeKernels.RoundHalfAwayFromZero(p * 256.0) - 128;
                _scores[i] = (byte)(q < -128 ? -128 : (q > 127 ? 127 : q));
            }
        }

        /// <inheritdoc />
        public void FrameReady(FeatureStream stream)
        {
            if (!stream.WindowFull || stream.Frames % InferenceEveryFrames != 0)
            {
                return;
            }

            stream.CopyWindow(_window, 0);
            long start = Clock.Ticks;
            _interpreter.SetInput(0, _window, 0);
            _interpreter.Invoke();
            long modelEnd = Clock.Ticks;
            LastInferenceTicks = modelEnd - start;
            ModelTicks += LastInferenceTicks;
            _interpreter.GetOutput(0, _output, 0);
            ToScores();
            Inferences++;
            long samplesSoFar = (stream.Frames - 1) * _strideSamples + _frameSamples;
            long timeMs = samplesSoFar * 1000 / _sampleRate;
            int label = _recognizer.Process(_scores, 0, timeMs);
            RecognizerTicks += Clock.Ticks - modelEnd;
            if (_listener != null)
            {
                _listener.Scores(timeMs, _scores, 0);
            }

            if (label >= 0 && _listener != null)
            {
                _listener.Detected(_recognizer.Labels[label], _recognizer.LastScore, timeMs);
            }
        }
    }
}
