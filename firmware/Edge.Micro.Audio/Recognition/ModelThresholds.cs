using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Audio.Recognition
{
    /// <summary>
    /// The detection thresholds a model was tuned with, stored by the converter as a constant uint8 tensor named
    /// recognizer.thresholds that no op reads: one 0..255 score per model output, in output order (docs/format.md).
    /// A model without one runs at <see cref="KeywordRecognizer.DefaultThreshold"/> (TFLM's 200).
    /// </summary>
    public static class ModelThresholds
    {
        /// <summary>Name of the stored tensor.</summary>
        public const string TensorName = EmmFormat.ThresholdsTensorName;

        /// <summary>
        /// Index of the model's thresholds tensor, or -1 when it has none (or one that does not hold a uint8 score
        /// for each of the first output's <paramref name="outputs"/> elements).
        /// </summary>
        public static int Find(Model model, int outputs)
        {
            for (int t = 0; t < model.TensorCount; t++)
            {
                if (model.IsConstant(t) && model.TensorName(t) == TensorName)
                {
                    return model.TensorType(t) == ElementType.UInt8 && model.ElementCount(t) == outputs ? t : -1;
                }
            }

            return -1;
        }

        /// <summary>
        /// Sets every label of <paramref name="recognizer"/> to the model's stored threshold, or to
        /// <see cref="KeywordRecognizer.DefaultThreshold"/> when the model stores none. Returns whether it stores them.
        /// </summary>
        public static bool Apply(Model model, KeywordRecognizer recognizer)
        {
            int labels = recognizer.Labels.Length;
            int t = Find(model, labels);
            byte[] stored = null;
            if (t >= 0)
            {
                stored = new byte[labels];
                model.CopyConstant(t, stored, 0);
            }

            for (int i = 0; i < labels; i++)
            {
                recognizer.SetThreshold(i, stored == null ? KeywordRecognizer.DefaultThreshold : stored[i]);
            }

            return stored != null;
        }
    }
}
