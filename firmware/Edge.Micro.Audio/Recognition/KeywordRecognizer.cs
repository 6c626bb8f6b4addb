using System;

namespace Edge.Micro.Audio.Recognition
{
    /// <summary>
    /// Turns a stream of model outputs into keyword events, as TFLM's micro_speech RecognizeCommands does:
    /// each class's int8 score (plus 128, so 0..255) is averaged over a time window; when the best average
    /// passes the threshold, and it is a different label or the suppression time since the last one has passed,
    /// it is a new detection. Results older than the window are dropped; with fewer than the minimum count of
    /// results (or less than a quarter window of them) nothing is decided. Labels marked ignored (silence,
    /// unknown) never produce events. Fixed memory; every parameter can change while it runs.
    /// </summary>
    public sealed class KeywordRecognizer
    {
        /// <summary>Largest number of results kept in the window.</summary>
        public const int MaxResults = 128;

        private readonly string[] _labels;
        private readonly bool[] _ignored;
        private readonly int[] _thresholds;
        private readonly long[] _times = new long[MaxResults];
        private readonly byte[] _scores;
        private readonly int[] _sums;
        private int _first;
        private int _count;
        private int _previousTop = -1;
        private long _previousTopTime = long.MinValue;

        /// <summary>Creates a recognizer for the model's labels; labels in <paramref name="ignoredLabels"/> never fire.</summary>
        public KeywordRecognizer(string[] labels, string[] ignoredLabels)
        {
            if (labels == null || labels.Length == 0)
            {
                throw new ArgumentException("labels");
            }

            _labels = labels;
            _ignored = new bool[labels.Length];
            _thresholds = new int[labels.Length];
            _scores = new byte[MaxResults * labels.Length];
            _sums = new int[labels.Length];
            for (int i = 0; i < labels.Length; i++)
            {
                _thresholds[i] = DefaultThreshold;
                for (int j = 0; ignoredLabels != null && j < ignoredLabels.Length; j++)
                {
                    if (labels[i] == ignoredLabels[j])
                    {
                        _ignored[i] = true;
                    }
                }
            }

            AverageWindowMs = 1000;
            SuppressionMs = 1500;
            MinimumCount = 3;
        }

        /// <summary>Threshold of a new recognizer, on the 0..255 averaged score (TFLM's default 200).</summary>
        public const int DefaultThreshold = 200;

        /// <summary>Averaging window in milliseconds (default 1000).</summary>
        public int AverageWindowMs { get; set; }

        /// <summary>Time after a detection during which the same label cannot fire again (default 1500).</summary>
        public int SuppressionMs { get; set; }

        /// <summary>Fewest results in the window for a decision (default 3).</summary>
        public int MinimumCount { get; set; }

        /// <summary>The labels, in model output order.</summary>
        public string[] Labels { get { return _labels; } }

        /// <summary>Threshold of a label (0..255).</summary>
        public int GetThreshold(int label) { return _thresholds[label]; }

        /// <summary>Sets one label's threshold (0..255).</summary>
        public void SetThreshold(int label, int value) { _thresholds[label] = value; }

        /// <summary>Index of a label, or -1.</summary>
        public int IndexOf(string label)
        {
            for (int i = 0; i < _labels.Length; i++)
            {
                if (_labels[i] == label)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Forgets all results and detections.</summary>
        public void Reset()
        {
            _first = 0;
            _count = 0;
            _previousTop = -1;
            _previousTopTime = long.MinValue;
        }

        /// <summary>Averaged score (0..255) of each label after the last <see cref="Process"/>.</summary>
        public int AverageScore(int label) { return _sums[label]; }

        /// <summary>
        /// Adds one model output (int8 scores at scores[offset..], one per label) at <paramref name="timeMs"/>
        /// (non-decreasing). Returns the label index of a new detection, or -1; the score is in <see cref="LastScore"/>.
        /// </summary>
        public int Process(byte[] scores, int offset, long timeMs)
        {
            int labels = _labels.Length;
            if (_count > 0 && timeMs < _times[(_first + _count - 1) % MaxResults])
            {
                throw new ArgumentException("results must arrive in increasing time order");
            }

            if (_count == MaxResults)
            {
                _first = (_first + 1) % MaxResults;
                _count--;
            }

            int slot = (_first + _count) % MaxResults;
            _times[slot] = timeMs;
            Array.Copy(scores, offset, _scores, slot * labels, labels);
            _count++;

            long limit = timeMs - AverageWindowMs;
            while (_count > 0 && _times[_first] < limit)
            {
                _first = (_first + 1) % MaxResults;
                _count--;
            }

            LastScore = 0;
            if (_count < MinimumCount || timeMs - _times[_first] < AverageWindowMs / 4)
            {
                return -1;
            }

            for (int l = 0; l < labels; l++)
            {
                int sum = 0;
                for (int r = 0; r < _count; r++)
                {
                    sum += (sbyte)_scores[((_first + r) % MaxResults) * labels + l] + 128;
                }

                _sums[l] = sum / _count;
            }

            int top = 0;
            for (int l = 1; l < labels; l++)
            {
                if (_sums[l] > _sums[top])
                {
                    top = l;
                }
            }

            long sinceLast = _previousTop <= 0 || _previousTopTime == long.MinValue ? long.MaxValue : timeMs - _previousTopTime;
            if (_sums[top] > _thresholds[top] && (top != _previousTop || sinceLast > SuppressionMs))
            {
                _previousTop = top;
                _previousTopTime = timeMs;
                LastScore = _sums[top];
                return _ignored[top] ? -1 : top;
            }

            return -1;
        }

        /// <summary>Score (0..255) of the detection the last <see cref="Process"/> returned.</summary>
        public int LastScore { get; private set; }
    }
}
