using System;
using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Audio.Recognition;
using Edge.Micro.Audio.Streaming;
using Edge.Micro.Device.Platform;
using Edge.Micro.Device.Shell;
using Edge.Micro.Device.Update;
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
        private readonly IFeatureExtractor _frontEnd;
        private IModelStore _store;

        /// <summary>Wires the device together.</summary>
        public DeviceLoop(Model model, IKernelSet kernels, IFeatureExtractor frontEnd, string[] labels, string[] ignoredLabels,
            IAudioSource mic, IIndicator indicator, IShellPort port, IPlatform platform)
        {
            Model = model;
            Interpreter = new Interpreter(model, kernels);
            Stream = new FeatureStream(frontEnd, ChunkSamples, KeywordSpotter.WindowFramesFor(model, frontEnd.FrameBytes));
            Recognizer = new KeywordRecognizer(labels, ignoredLabels);
            ModelThresholds.Apply(model, Recognizer);
            Spotter = new KeywordSpotter(Interpreter, Stream, Recognizer, 16000, ChunkSamples, frontEnd.FrameSamples);
            Spotter.Clock = platform;
            Stats = new DeviceStats(labels.Length);
            _mic = mic;
            _indicator = indicator;
            _platform = platform;
            Stats.StartTicks = platform.Ticks;
            Shell = new CommandShell(port, Commands.Table(this));
            FrontEndName = frontEnd.Name;
            _frontEnd = frontEnd;
            ModelSlot = -1;
        }

        /// <summary>
        /// The persistent model slots and settings (null: this device has none, and the update commands say so).
        /// Setting it applies the saved settings and makes the console's update commands write into it.
        /// </summary>
        public IModelStore Store
        {
            get { return _store; }
            set
            {
                _store = value;
                Update = value == null ? null : new ModelUpdate(value);
                if (value != null)
                {
                    DeviceSettings.Apply(value.ReadSettings(), Recognizer);
                }
            }
        }

        /// <summary>The console's model update in progress (null without a <see cref="Store"/>).</summary>
        public ModelUpdate Update { get; private set; }

        /// <summary>The store slot the running model came from, or -1 for the model the device was built with.</summary>
        public int ModelSlot { get; set; }

        /// <summary>Saves the recognizer settings to the <see cref="Store"/> (nothing without one).</summary>
        public void SaveSettings()
        {
            if (_store != null)
            {
                _store.WriteSettings(DeviceSettings.Format(Recognizer));
            }
        }

        /// <summary>
        /// Switches to <paramref name="model"/>, read from store slot <paramref name="slot"/>, if it fits this device
        /// (front end, input window, one score per label), the kernels can run it and its embedded self-test passes;
        /// then makes the slot the active one and takes the model's detection thresholds (saved as the settings).
        /// Returns null, or the reason the device keeps its model.
        /// </summary>
        public string SwitchModel(Model model, int slot)
        {
            if (model.FrontEnd != Model.FrontEnd)
            {
                return "the model needs another front end (flags " + model.FrontEnd.ToString() + ", this device " + Model.FrontEnd.ToString() + ")";
            }

            Interpreter interpreter;
            FeatureStream stream;
            KeywordSpotter spotter;
            try
            {
                interpreter = new Interpreter(model, Interpreter.Kernels);

                // The same window: keep the stream (its features and its clock go on without a gap).
                int windowFrames = KeywordSpotter.WindowFramesFor(model, _frontEnd.FrameBytes);
                stream = windowFrames == Stream.WindowFrames ? Stream : new FeatureStream(_frontEnd, ChunkSamples, windowFrames);
                spotter = new KeywordSpotter(interpreter, stream, Recognizer, 16000, ChunkSamples, _frontEnd.FrameSamples);
            }
            catch (ArgumentException e)
            {
                return "the model does not fit this device: " + e.Message;
            }

            int difference;
            int result = SelfTest.Run(interpreter, out difference);
            if (result != SelfTest.Passed)
            {
                return result == SelfTest.NoCase ? ShellMessages.NoSelfTest : "self-test failed at output byte " + difference.ToString();
            }

            _store.Activate(slot);
            spotter.Clock = _platform;
            spotter.InferenceEveryFrames = Spotter.InferenceEveryFrames;
            Recognizer.Reset();

            // Thresholds are tuned per model: the new model's replace the old ones, saved for the next start.
            ModelThresholds.Apply(model, Recognizer);
            SaveSettings();
            Model = model;
            Interpreter = interpreter;
            Stream = stream;
            Spotter = spotter;
            ModelSlot = slot;
            return null;
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
