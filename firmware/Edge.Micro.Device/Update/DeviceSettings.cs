using Edge.Micro.Audio.Recognition;

namespace Edge.Micro.Device.Update
{
    /// <summary>
    /// The recognizer settings a device keeps across resets, as text lines ("threshold yes 200", "window 1000",
    /// "suppress 1500"): written by the shell commands that change them, applied at start-up.
    /// </summary>
    public static class DeviceSettings
    {
        /// <summary>The settings of <paramref name="recognizer"/> as text.</summary>
        public static string Format(KeywordRecognizer recognizer)
        {
            string text = "window " + recognizer.AverageWindowMs.ToString() + "\n" + "suppress " + recognizer.SuppressionMs.ToString() + "\n";
            for (int i = 0; i < recognizer.Labels.Length; i++)
            {
                text += "threshold " + recognizer.Labels[i] + " " + recognizer.GetThreshold(i).ToString() + "\n";
            }

            return text;
        }

        /// <summary>
        /// Applies saved settings; lines it does not understand (a label the model does not have, a value out of
        /// range) are skipped. Returns the number of settings applied.
        /// </summary>
        public static int Apply(string text, KeywordRecognizer recognizer)
        {
            if (text == null)
            {
                return 0;
            }

            int applied = 0;
            string[] lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string[] w = lines[i].Trim().Split(' ');
                int value;
                if (w.Length == 2 && w[0] == "window" && TryParse(w[1], 100, 10000, out value))
                {
                    recognizer.AverageWindowMs = value;
                    applied++;
                }
                else if (w.Length == 2 && w[0] == "suppress" && TryParse(w[1], 0, 60000, out value))
                {
                    recognizer.SuppressionMs = value;
                    applied++;
                }
                else if (w.Length == 3 && w[0] == "threshold" && recognizer.IndexOf(w[1]) >= 0 && TryParse(w[2], 0, 255, out value))
                {
                    recognizer.SetThreshold(recognizer.IndexOf(w[1]), value);
                    applied++;
                }
            }

            return applied;
        }

        private static bool TryParse(string text, int min, int max, out int value)
        {
            return int.TryParse(text, out value) && value >= min && value <= max;
        }
    }
}
