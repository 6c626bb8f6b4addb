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

        /// <summary>Audio over which the loop checks that it keeps up: one second.</summary>
        public const int RealTimePeriodSamples = 16000;

        /// <summary>
        /// The slowest inference rate the loop falls back to: every 16 frames (320 ms), so that the recognizer
        /// still gets its minimum of three results per one-second window.
        /// </summary>
        public const int SlowestInferenceEveryFrames = 16;

        private long _periodSamples;
        private long _periodTicks;
        private bool _warned;

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
            Spotter.Clock = platform;
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
        /// time each stage, keep up with real time, then serve the shell. Returns the samples consumed.
        /// </summary>
        public int Step()
        {
            int n = _mic.Read(_chunk, 0, _chunk.Length);
            if (n > 0)
            {
                Stats.Audio(_chunk, 0, n);
                long framesBefore = Stream.Frames;
                long modelBefore = Spotter.ModelTicks;
                long recognizerBefore = Spotter.RecognizerTicks;
                long start = _platform.Ticks;
                Spotter.Push(_chunk, 0, n, this);
                long busy = _platform.Ticks - start;
                long model = Spotter.ModelTicks - modelBefore;
                long recognizer = Spotter.RecognizerTicks - recognizerBefore;
                Stats.AudioSamples += n;
                Stats.ModelTicks += model;
                Stats.RecognizerTicks += recognizer;
                Stats.FrontEndTicks += busy > model + recognizer ? busy - model - recognizer : 0;
                long frames = Stream.Frames - framesBefore;
                Stats.Frames += frames;
                if (frames > 0 && busy > frames * FrameBudgetMs * TimeSpan.TicksPerMillisecond)
                {
                    Stats.BudgetOverruns++;
                }

                _periodSamples += n;
                _periodTicks += busy;
                if (_periodSamples >= RealTimePeriodSamples)
                {
                    KeepUp(_periodSamples, _periodTicks);
                    _periodSamples = 0;
                    _periodTicks = 0;
                }
            }

            Shell.Poll();
            return n;
        }

        // Over the last period of audio the work took longer than 90% of the audio's own time: halve the
        // inference rate (down to SlowestInferenceEveryFrames) and say so once, with the numbers, on the console.
        // Audio the microphone could not deliver in time is counted by the microphone (stats: droppedFrames).
        private void KeepUp(long samples, long ticks)
        {
            long audioTicks = samples * DeviceStats.TicksPerSecond / DeviceStats.SampleRate;
            if (ticks * 10 <= audioTicks * 9)
            {
                return;
            }

            int every = Spotter.InferenceEveryFrames;
            if (every < SlowestInferenceEveryFrames)
            {
                Spotter.InferenceEveryFrames = every * 2 > SlowestInferenceEveryFrames ? SlowestInferenceEveryFrames : every * 2;
                Stats.RealTimeFallbacks++;
            }

            if (_warned)
            {
                return;
            }

            _warned = true;
            long audioMs = audioTicks / TimeSpan.TicksPerMillisecond;
            long workMs = ticks / TimeSpan.TicksPerMillisecond;
            string kernels = Interpreter.Kernels.Name;
            Shell.Event(
                "WARN realtime: " + audioMs.ToString() + " ms of audio took " + workMs.ToString() + " ms with " + kernels +
                " kernels; the model now runs every " + Spotter.InferenceEveryFrames.ToString() + " frames (stats: rtf, inferenceEveryFrames)" +
                (kernels == "native" ? "" : "; native kernels need the custom firmware image (docs/firmware.md)"),
                "{\"event\":\"warning\",\"reason\":\"realtime\",\"audioMs\":" + audioMs.ToString() + ",\"workMs\":" + workMs.ToString() +
                ",\"kernels\":\"" + kernels + "\",\"inferenceEveryFrames\":" + Spotter.InferenceEveryFrames.ToString() + "}");
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
