using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Runtime;
using nanoFramework.TestFramework;

namespace Edge.Micro.DeviceTests
{
    /// <summary>
    /// Tests for a real board (nanoFramework.TestFramework): the kernels against the model's embedded golden
    /// case, and the front end against features computed on the desktop. Run from Visual Studio's Test
    /// Explorer with a board attached (nano.runsettings); not run by this repository's CI.
    /// </summary>
    [TestClass]
    public class OnDeviceTests
    {
        [TestMethod]
        public void Kernels_reproduce_the_models_golden_case()
        {
            var model = new Model(Resources.GetBytes(Resources.BinaryResources.model));
            int difference;
            Assert.AreEqual(SelfTest.Passed, SelfTest.Run(new Interpreter(model), out difference), "first differing byte " + difference);
        }

        [TestMethod]
        public void Front_end_of_a_tone_matches_the_desktop()
        {
            // 480 samples of a 1 kHz tone at amplitude 8000 (integer recurrence: no System.Math on the device).
            var samples = new short[480];
            for (int i = 0; i < samples.Length; i++)
            {
                int phase = (i * 1000 * 16) % 256; // 16 steps per 1 ms period at 16 kHz, as a triangle wave
                samples[i] = (short)((phase < 128 ? phase : 255 - phase) * 125 - 8000);
            }

            var fe = new MicroFrontend(MicroSpeechFrontendTables.Create());
            var features = new sbyte[40];
            fe.ProcessFrame(samples, 0, features, 0);

            // Computed on the desktop by the same managed front end (bit-exact, integer arithmetic).
            sbyte[] expected =
            {
                13, 28, 33, 32, 31, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -18, 9, 32,
                35, -128, -128, -128, -128, -128, -128, -128, -4, 25, 42, 32, -128, -128, -128, 17, 43, 32, -128, -128,
            };
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], features[i], "channel " + i);
            }
        }
    }
}
