using System;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Device.Update;

namespace Edge.Micro.Device.Shell
{
    /// <summary>
    /// The diagnostics shell's command table: every command once, with its arguments and help
    /// (docs/console.md describes the replies).
    /// </summary>
    public static class Commands
    {
        /// <summary>The table for a device.</summary>
        public static ShellCommand[] Table(DeviceLoop device)
        {
            var d = new Handlers(device);
            return new[]
            {
                new ShellCommand("help", "[command]", "list the commands, or describe one", d.Help),
                new ShellCommand("info", "", "firmware and format version, model, memory, kernels", d.Info),
                new ShellCommand("model", "", "the op table: op, output shape, MACs", d.ModelTable),
                new ShellCommand("selftest", "", "run the model's embedded test case and compare", d.SelfTest),
                new ShellCommand("bench", "[n]", "time n inferences (default 10): total and per op min/avg/max", d.Bench),
                new ShellCommand("stats", "", "inferences, detections per label, latency, dropped audio, real-time factors per stage, uptime", d.Stats),
                new ShellCommand("threshold", "[label] [0-255]", "show or set detection thresholds", d.Threshold),
                new ShellCommand("window", "[ms]", "show or set the averaging window", d.Window),
                new ShellCommand("suppress", "[ms]", "show or set the time before a label can fire again", d.Suppress),
                new ShellCommand("mic", "", "microphone level, peak and clipped samples", d.Mic),
                new ShellCommand("log", "on|off", "write detections as they happen", d.Log),
                new ShellCommand("mode", "text|json", "reply as text or as one JSON object per line", d.Mode),
                new ShellCommand("ping", "<token>", "answer with the token: a client finds where its answers resume after a timeout", d.Ping),
                new ShellCommand("update", "begin <bytes> <crc32> | data <offset> <hex> <crc32> | commit | status", "receive a new model into the spare slot and switch to it once it passes its self-test", d.Update),
                new ShellCommand("reboot", "", "restart the device", d.Reboot),
            };
        }

        private sealed class Handlers
        {
            private readonly DeviceLoop _d;

            public Handlers(DeviceLoop device)
            {
                _d = device;
            }

            public void Help(CommandShell s, string[] a)
            {
                if (a.Length > 2)
                {
                    s.Error(ShellMessages.BadArguments);
                    return;
                }

                for (int i = 0; i < s.Commands.Length; i++)
                {
                    ShellCommand c = s.Commands[i];
                    if (a.Length == 1 || c.Name == a[1])
                    {
                        s.Row(c.Name + (c.Arguments.Length > 0 ? " " + c.Arguments : "") + " - " + c.Help);
                        if (a.Length == 2)
                        {
                            s.Ok();
                            return;
                        }
                    }
                }

                if (a.Length == 2)
                {
                    s.Error(ShellMessages.UnknownCommand);
                    return;
                }

                s.Ok();
            }

            public void Info(CommandShell s, string[] a)
            {
                if (a.Length != 1)
                {
                    s.Error(ShellMessages.BadArguments);
                    return;
                }

                Model m = _d.Model;
                s.Field("firmware", _d.Platform.FirmwareVersion);
                s.Field("format", EmmFormat.Version);
                s.Field("model", m.Name);
                s.Field("modelBytes", m.Length);
                s.Field("modelCrc", Hex(m.Crc));
                s.Field("modelSlot", _d.ModelSlot);
                s.Field("arenaBytes", m.ArenaBytes);
                s.Field("kernels", _d.Interpreter.Kernels.Name);
                s.Field("frontend", _d.FrontEndName);
                s.Field("labels", Join(_d.Recognizer.Labels));
                s.Field("freeMemory", _d.Platform.FreeMemory);
                DeviceStats st = _d.Stats;
                s.FieldTenths("rtf", DeviceStats.RealTimeFactorTenths(st.AudioSamples, st.FrontEndTicks + st.ModelTicks + st.RecognizerTicks));
                s.Field("inferenceEveryFrames", _d.Spotter.InferenceEveryFrames);
                s.Ok();
            }

            public void ModelTable(CommandShell s, string[] a)
            {
                Model m = _d.Model;
                for (int op = 0; op < m.OpCount; op++)
                {
                    int output = m.OpOutput(op, 0);
                    string shape = "[";
                    for (int i = 0; i < m.Rank(output); i++)
                    {
                        shape += (i > 0 ? "," : "") + m.Dim(output, i).ToString();
                    }

                    s.Row(op.ToString() + " " + OpCode.Name(m.Op(op)) + " " + shape + "] macs=" + m.Macs(op).ToString());
                }

                s.Ok();
            }

            public void SelfTest(CommandShell s, string[] a)
            {
                int difference;
                int result = Edge.Micro.Runtime.SelfTest.Run(_d.Interpreter, out difference);
                if (result == Edge.Micro.Runtime.SelfTest.NoCase)
                {
                    s.Error(ShellMessages.NoSelfTest);
                }
                else if (result == Edge.Micro.Runtime.SelfTest.Failed)
                {
                    s.Error(ShellMessages.SelfTestFailed + " at byte " + difference.ToString());
                }
                else
                {
                    s.Field("selftest", "pass");
                    s.Field("outputBytes", _d.Model.ByteSize(_d.Model.OutputTensor(0)));
                    s.Ok();
                }
            }

            public void Bench(CommandShell s, string[] a)
            {
                int n = 10;
                if (a.Length > 2 || (a.Length == 2 && !ParseInRange(s, a[1], 1, 10000, out n)))
                {
                    if (a.Length > 2)
                    {
                        s.Error(ShellMessages.BadArguments);
                    }

                    return;
                }

                Interpreter interpreter = _d.Interpreter;
                var profile = new BenchProfile(_d.Model.OpCount);
                interpreter.Profiler = profile;
                long start = _d.Platform.Ticks;
                for (int i = 0; i < n; i++)
                {
                    interpreter.Invoke();
                }

                long total = _d.Platform.Ticks - start;
                interpreter.Profiler = null;
                s.Field("inferences", n);
                s.Field("totalUs", total / 10);
                s.Field("avgUs", total / 10 / n);
                for (int op = 0; op < profile.Min.Length; op++)
                {
                    s.Row(op.ToString() + " " + OpCode.Name(_d.Model.Op(op)) + " min=" + (profile.Min[op] / 10).ToString() + "us avg=" + (profile.Sum[op] / 10 / n).ToString() + "us max=" + (profile.Max[op] / 10).ToString() + "us");
                }

                s.Ok();
            }

            public void Stats(CommandShell s, string[] a)
            {
                DeviceStats st = _d.Stats;
                s.Field("inferences", st.Inferences);
                for (int i = 0; i < st.DetectionsPerLabel.Length; i++)
                {
                    s.Field("detections." + _d.Recognizer.Labels[i], st.DetectionsPerLabel[i]);
                }

                s.Field("latencyMinUs", st.Inferences == 0 ? 0 : st.LatencyMinTicks / 10);
                s.Field("latencyAvgUs", st.Inferences == 0 ? 0 : st.LatencyTotalTicks / 10 / st.Inferences);
                s.Field("latencyMaxUs", st.LatencyMaxTicks / 10);
                s.Field("frames", st.Frames);
                s.Field("droppedFrames", _d.Microphone.DroppedSamples / 320);
                s.Field("budgetOverruns", st.BudgetOverruns);
                s.Field("audioMs", st.AudioSamples * 1000 / DeviceStats.SampleRate);
                s.FieldTenths("rtf", DeviceStats.RealTimeFactorTenths(st.AudioSamples, st.FrontEndTicks + st.ModelTicks + st.RecognizerTicks));
                s.FieldTenths("rtfFrontEnd", DeviceStats.RealTimeFactorTenths(st.AudioSamples, st.FrontEndTicks));
                s.FieldTenths("rtfModel", DeviceStats.RealTimeFactorTenths(st.AudioSamples, st.ModelTicks));
                s.FieldTenths("rtfRecognizer", DeviceStats.RealTimeFactorTenths(st.AudioSamples, st.RecognizerTicks));
                s.Field("inferenceEveryFrames", _d.Spotter.InferenceEveryFrames);
                s.Field("realtimeFallbacks", st.RealTimeFallbacks);
                s.Field("uptimeMs", (_d.Platform.Ticks - st.StartTicks) / TimeSpan.TicksPerMillisecond);
                s.Ok();
            }

            public void Threshold(CommandShell s, string[] a)
            {
                var r = _d.Recognizer;
                if (a.Length == 1)
                {
                    for (int i = 0; i < r.Labels.Length; i++)
                    {
                        s.Field(r.Labels[i], r.GetThreshold(i));
                    }

                    s.Ok();
                    return;
                }

                int label = r.IndexOf(a[1]);
                if (label < 0)
                {
                    s.Error(ShellMessages.UnknownLabel);
                    return;
                }

                if (a.Length == 3)
                {
                    int value;
                    if (!ParseInRange(s, a[2], 0, 255, out value))
                    {
                        return;
                    }

                    r.SetThreshold(label, value);
                    _d.SaveSettings();
                }
                else if (a.Length != 2)
                {
                    s.Error(ShellMessages.BadArguments);
                    return;
                }

                s.Field(r.Labels[label], r.GetThreshold(label));
                s.Ok();
            }

            public void Window(CommandShell s, string[] a)
            {
                int value = _d.Recognizer.AverageWindowMs;
                if (!OptionalValue(s, a, 100, 10000, ref value))
                {
                    return;
                }

                if (a.Length == 2)
                {
                    _d.Recognizer.AverageWindowMs = value;
                    _d.SaveSettings();
                }

                s.Field("windowMs", value);
                s.Ok();
            }

            public void Suppress(CommandShell s, string[] a)
            {
                int value = _d.Recognizer.SuppressionMs;
                if (!OptionalValue(s, a, 0, 60000, ref value))
                {
                    return;
                }

                if (a.Length == 2)
                {
                    _d.Recognizer.SuppressionMs = value;
                    _d.SaveSettings();
                }

                s.Field("suppressMs", value);
                s.Ok();
            }

            public void Mic(CommandShell s, string[] a)
            {
                DeviceStats st = _d.Stats;
                s.Field("level", st.MicLevel);
                s.Field("peak", st.MicPeak);
                s.Field("clipped", st.MicClipped);
                st.MicPeak = 0;
                s.Ok();
            }

            public void Log(CommandShell s, string[] a)
            {
                if (a.Length != 2 || (a[1] != "on" && a[1] != "off"))
                {
                    s.Error(ShellMessages.BadArguments);
                    return;
                }

                _d.LogEvents = a[1] == "on";
                s.Field("log", a[1]);
                s.Ok();
            }

            public void Mode(CommandShell s, string[] a)
            {
                if (a.Length != 2 || (a[1] != "text" && a[1] != "json"))
                {
                    s.Error(ShellMessages.BadArguments);
                    return;
                }

                s.JsonMode = a[1] == "json";
                s.Field("mode", a[1]);
                s.Ok();
            }

            public void Ping(CommandShell s, string[] a)
            {
                if (a.Length != 2)
                {
                    s.Error(ShellMessages.BadArguments);
                    return;
                }

                s.Field("pong", a[1]);
                s.Ok();
            }

            public void Reboot(CommandShell s, string[] a)
            {
                s.Ok();
                _d.Platform.Reboot();
            }

            public void Update(CommandShell s, string[] a)
            {
                ModelUpdate u = _d.Update;
                if (u == null)
                {
                    s.Error(ShellMessages.NoModelStore);
                    return;
                }

                string sub = a.Length > 1 ? a[1] : "";
                string refusal;
                if (sub == "begin" && a.Length == 4)
                {
                    int length;
                    uint crc;
                    if (!int.TryParse(a[2], out length) || !ParseHex32(a[3], out crc))
                    {
                        s.Error(ShellMessages.BadNumber);
                        return;
                    }

                    refusal = u.Begin(length, crc);
                }
                else if (sub == "data" && a.Length == 5)
                {
                    int offset;
                    uint crc;
                    int count = a[3].Length / 2;
                    if (!int.TryParse(a[2], out offset) || !ParseHex32(a[4], out crc) || a[3].Length % 2 != 0 || count == 0
                        || count > ModelUpdate.MaxChunkBytes || !ParseHexBytes(a[3], _chunk))
                    {
                        s.Error(ShellMessages.BadNumber);
                        return;
                    }

                    refusal = u.Data(offset, _chunk, count, crc);
                }
                else if (sub == "commit" && a.Length == 2)
                {
                    refusal = u.Commit(_d);
                    if (refusal == null)
                    {
                        s.Field("model", _d.Model.Name);
                        s.Field("modelCrc", Hex(_d.Model.Crc));
                        s.Field("modelSlot", _d.ModelSlot);
                        s.Field("selftest", "passed");
                        s.Ok();
                        return;
                    }
                }
                else if (sub == "status" && a.Length == 2)
                {
                    refusal = null;
                }
                else
                {
                    s.Error(ShellMessages.BadArguments);
                    return;
                }

                if (refusal != null)
                {
                    s.Error(refusal);
                    return;
                }

                s.Field("modelSlot", _d.ModelSlot);
                s.Field("stagingSlot", u.StagingSlot);
                s.Field("received", u.Received);
                s.Field("length", u.Length);
                s.Ok();
            }

            private readonly byte[] _chunk = new byte[ModelUpdate.MaxChunkBytes];

            private static string Hex(uint value)
            {
                const string Digits = "0123456789abcdef";
                string text = "";
                for (int shift = 28; shift >= 0; shift -= 4)
                {
                    text += Digits[(int)((value >> shift) & 0xF)];
                }

                return text;
            }

            private static int HexDigit(char c)
            {
                return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            }

            private static bool ParseHex32(string text, out uint value)
            {
                value = 0;
                if (text.Length == 0 || text.Length > 8)
                {
                    return false;
                }

                for (int i = 0; i < text.Length; i++)
                {
                    int d = HexDigit(text[i]);
                    if (d < 0)
                    {
                        return false;
                    }

                    value = (value << 4) | (uint)d;
                }

                return true;
            }

            private static bool ParseHexBytes(string text, byte[] destination)
            {
                for (int i = 0; i < text.Length / 2; i++)
                {
                    int high = HexDigit(text[2 * i]), low = HexDigit(text[2 * i + 1]);
                    if (high < 0 || low < 0)
                    {
                        return false;
                    }

                    destination[i] = (byte)((high << 4) | low);
                }

                return true;
            }

            private static bool OptionalValue(CommandShell s, string[] a, int min, int max, ref int value)
            {
                if (a.Length == 1)
                {
                    return true;
                }

                if (a.Length != 2)
                {
                    s.Error(ShellMessages.BadArguments);
                    return false;
                }

                return ParseInRange(s, a[1], min, max, out value);
            }

            private static bool ParseInRange(CommandShell s, string text, int min, int max, out int value)
            {
                if (!int.TryParse(text, out value))
                {
                    s.Error(ShellMessages.BadNumber);
                    return false;
                }

                if (value < min || value > max)
                {
                    s.Error(ShellMessages.OutOfRange);
                    return false;
                }

                return true;
            }

            private static string Join(string[] items)
            {
                string result = "";
                for (int i = 0; i < items.Length; i++)
                {
                    result += (i > 0 ? "," : "") + items[i];
                }

                return result;
            }
        }

        private sealed class BenchProfile : IOpProfiler
        {
            public readonly long[] Min;
            public readonly long[] Max;
            public readonly long[] Sum;

            public BenchProfile(int ops)
            {
                Min = new long[ops];
                Max = new long[ops];
                Sum = new long[ops];
                for (int i = 0; i < ops; i++)
                {
                    Min[i] = long.MaxValue;
                }
            }

            public void OpFinished(int opIndex, int opCode, long elapsedTicks)
            {
                Sum[opIndex] += elapsedTicks;
                if (elapsedTicks < Min[opIndex])
                {
                    Min[opIndex] = elapsedTicks;
                }

                if (elapsedTicks > Max[opIndex])
                {
                    Max[opIndex] = elapsedTicks;
                }
            }
        }
    }
}
