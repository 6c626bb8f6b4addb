using System;
using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Audio.Recognition;
using Edge.Micro.Audio.Streaming;
using Edge.Micro.Device.Platform;
using Edge.Micro.Device.Shell;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Device
{
    /// <summary>
    /// The device: microphone -> front end -> model -> recognizer -> indicator and the shell's event log, with
    /// the shell served between audio chunks. Everything is allocated here, at start-up; <see cref="Step"/>
    /// allocates nothing on the audio path. The same class runs on the ESP32 and in the host simulator.
    /// </summary>
    public sealed class DeviceLoop : IKeywordListener
    {
        /// <summary>Milliseconds of audio per feature frame: the real-time budget of one frame's work.</summary>
        public const int FrameBudgetMs = 20;

        private const int ChunkSamples = 320;
        private readonly IAudioSource _mic;
        private readonly IIndicator _indicator;
        private readonly IPlatform _platform;
        private readonly short[] _chunk = new short[ChunkSamples];

        /// <summary>Wires the device together.</summary>
        public DeviceLoop(Model model, IKernelSet kernels, IFeatureExtractor frontEnd, string[] labels, string[] ignoredLabels,
            IAudioSource mic, IIndicator indicator, IShellPort port, IPlatform platform)
        {
            Model = model;
            Interpreter = new Interpreter(model, kernels);
            Stream = new FeatureStream(frontEnd, ChunkSamples, KeywordSpotter.WindowFramesFor(model, frontEnd.FrameBytes));
            Recognizer = new KeywordRecognizer(labels, ignoredLabels);
            Spotter = new KeywordSpotter(Interpreter, Stream, Recognizer, 16000, ChunkSamples, frontEnd.FrameSamples);
            Stats = new DeviceStats(labels.Length);
            _mic = mic;
            _indicator = indicator;
            _platform = platform;
            Stats.StartTicks = platform.Ticks;
            Shell = new CommandShell(port, Commands.Table(this));
            FrontEndName = frontEnd.Name;
        }

        public Model Model { get; private set; }
        public Interpreter Interpreter { get; private set; }
        public FeatureStream Stream { get; private set; }
        public KeywordRecognizer Recognizer { get; private set; }
        public KeywordSpotter Spotter { get; private set; }
        public CommandShell Shell { get; private set; }
        public DeviceStats Stats { get; private set; }
        public IPlatform Platform { get { return _platform; } }
        public IAudioSource Microphone { get { return _mic; } }
        public string FrontEndName { get; private set; }

        /// <summary>True when detections are written to the shell (log on).</summary>
        public bool LogEvents { get; set; }

        /// <summary>
        /// One turn of the loop: read what the microphone has, run the front end, model and recognizer on it,
        /// check the real-time budget, then serve the shell. Returns the samples consumed.
        /// </summary>
        public int Step()
        {
            int n = _mic.Read(_chunk, 0, _chunk.Length);
            if (n > 0)
            {
                Stats.Audio(_chunk, 0, n);
                long framesBefore = Stream.Frames;
                long start = _platform.Ticks;
                Spotter.Push(_chunk, 0, n, this);
                long frames = Stream.Frames - framesBefore;
                Stats.Frames += frames;
                if (frames > 0 && _platform.Ticks - start > frames * FrameBudgetMs * TimeSpan.TicksPerMillisecond)
                {
                    Stats.BudgetOverruns++;
                }
            }

            Shell.Poll();
            return n;
        }

        /// <inheritdoc />
        public void Scores(long timeMs, byte[] scores, int offset)
        {
            Stats.Inference(Spotter.LastInferenceTicks);
        }

        /// <inheritdoc />
        public void Detected(string label, int score, long timeMs)
        {
            int index = Recognizer.IndexOf(label);
            if (index >= 0)
            {
                Stats.DetectionsPerLabel[index]++;
            }

            _indicator.Pulse();
            if (LogEvents)
            {
                Shell.Event("EVT " + label + " " + score.ToString() + " " + timeMs.ToString(),
                    "{\"event\":\"detection\",\"label\":\"" + label + "\",\"score\":" + score.ToString() + ",\"timeMs\":" + timeMs.ToString() + "}");
            }
        }
    }
}
