using Edge.Micro.Device.Platform;

namespace Edge.Micro.Device.Shell
{
    /// <summary>Runs one command; args[0] is the command name.</summary>
    public delegate void CommandHandler(CommandShell shell, string[] args);

    /// <summary>One entry of the command table: name, argument synopsis, one-line help, handler.</summary>
    public sealed class ShellCommand
    {
        /// <summary>Creates a table entry.</summary>
        public ShellCommand(string name, string arguments, string help, CommandHandler handler)
        {
            Name = name;
            Arguments = arguments;
            Help = help;
            Handler = handler;
        }

        public string Name { get; private set; }
        public string Arguments { get; private set; }
        public string Help { get; private set; }
        public CommandHandler Handler { get; private set; }
    }

    /// <summary>
    /// A line-based command shell over any byte stream. Bytes are gathered into lines (CR, LF or CR LF ends a
    /// line); every line, an empty one included, gets exactly one reply that ends with "OK" or "ERR reason" (text mode) or one JSON object
    /// (json mode). Garbage cannot hurt it: overlong lines are dropped to their end and answered
    /// "ERR line too long", non-printable bytes and unknown commands are answered with an error, and nothing
    /// it does blocks. <see cref="Poll"/> is called between audio frames.
    /// </summary>
    public sealed class CommandShell
    {
        /// <summary>Longest accepted line (bytes).</summary>
        public const int MaxLine = 200;

        private const int ReadChunk = 64;
        private readonly IShellPort _port;
        private readonly ShellCommand[] _commands;
        private readonly byte[] _line = new byte[MaxLine];
        private readonly byte[] _read = new byte[ReadChunk];
        private int _length;
        private bool _overlong;
        private bool _unprintable;
        private bool _lastWasCarriageReturn;
        private string _json;
        private string _command;

        /// <summary>Creates the shell over a port with a command table.</summary>
        public CommandShell(IShellPort port, ShellCommand[] commands)
        {
            _port = port;
            _commands = commands;
        }

        /// <summary>The command table.</summary>
        public ShellCommand[] Commands { get { return _commands; } }

        /// <summary>True in json mode (one object per line), false in text mode.</summary>
        public bool JsonMode { get; set; }

        /// <summary>Lines answered so far.</summary>
        public long LinesAnswered { get; private set; }

        /// <summary>Reads what is waiting on the port and answers each complete line.</summary>
        public void Poll()
        {
            int n;
            while ((n = _port.Read(_read, 0, ReadChunk)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    Accept(_read[i]);
                }
            }
        }

        private void Accept(byte b)
        {
            bool afterCarriageReturn = _lastWasCarriageReturn;
            _lastWasCarriageReturn = b == (byte)'\r';
            if (b == (byte)'\n' && afterCarriageReturn)
            {
                return; // CR LF ends one line
            }

            if (b == (byte)'\n' || b == (byte)'\r')
            {
                EndOfLine();
                return;
            }

            if (b < 0x20 && b != (byte)'\t' || b >= 0x7F)
            {
                _unprintable = true;
                return;
            }

            if (_length == MaxLine)
            {
                _overlong = true;
                return;
            }

            _line[_length++] = b;
        }

        private void EndOfLine()
        {
            bool overlong = _overlong, unprintable = _unprintable;
            var chars = new char[_length];
            for (int i = 0; i < _length; i++)
            {
                chars[i] = _line[i] == (byte)'\t' ? ' ' : (char)_line[i];
            }

            _length = 0;
            _overlong = false;
            _unprintable = false;
            LinesAnswered++;
            string[] args = Split(new string(chars));
            Begin(args.Length > 0 ? args[0] : "");
            if (overlong)
            {
                Error(ShellMessages.LineTooLong);
                return;
            }

            if (unprintable)
            {
                Error(ShellMessages.NotPrintable);
                return;
            }

            if (args.Length == 0)
            {
                Ok(); // an empty line: every line gets an answer
                return;
            }

            for (int i = 0; i < _commands.Length; i++)
            {
                if (_commands[i].Name == args[0])
                {
                    _commands[i].Handler(this, args);
                    return;
                }
            }

            Error(ShellMessages.UnknownCommand);
        }

        private static string[] Split(string line)
        {
            int count = 0;
            bool inWord = false;
            for (int i = 0; i < line.Length; i++)
            {
                bool space = line[i] == ' ';
                if (!space && !inWord)
                {
                    count++;
                }

                inWord = !space;
            }

            var words = new string[count];
            int w = 0, start = -1;
            for (int i = 0; i <= line.Length; i++)
            {
                bool space = i == line.Length || line[i] == ' ';
                if (!space && start < 0)
                {
                    start = i;
                }
                else if (space && start >= 0)
                {
                    words[w++] = line.Substring(start, i - start);
                    start = -1;
                }
            }

            return words;
        }

        private void Begin(string command)
        {
            _command = command;
            _json = null;
        }

        /// <summary>Adds a named value to the reply ("name: value" in text mode).</summary>
        public void Field(string name, string value)
        {
            if (JsonMode)
            {
                Append("\"" + name + "\":\"" + Escape(value) + "\"");
            }
            else
            {
                WriteLine(name + ": " + value);
            }
        }

        /// <summary>Adds a named number to the reply.</summary>
        public void Field(string name, long value)
        {
            if (JsonMode)
            {
                Append("\"" + name + "\":" + value.ToString());
            }
            else
            {
                WriteLine(name + ": " + value.ToString());
            }
        }

        /// <summary>Adds a named number given in tenths ("45.2" for 452), as a number in json mode.</summary>
        public void FieldTenths(string name, long tenths)
        {
            string text = (tenths < 0 ? "-" : "") + ((tenths < 0 ? -tenths : tenths) / 10).ToString() + "." + ((tenths < 0 ? -tenths : tenths) % 10).ToString();
            if (JsonMode)
            {
                Append("\"" + name + "\":" + text);
            }
            else
            {
                WriteLine(name + ": " + text);
            }
        }

        /// <summary>Adds a row of a table (a line in text mode, an element of "rows" in json mode).</summary>
        public void Row(string text)
        {
            if (JsonMode)
            {
                _rows = _rows == null ? "\"" + Escape(text) + "\"" : _rows + ",\"" + Escape(text) + "\"";
            }
            else
            {
                WriteLine(text);
            }
        }

        private string _rows;

        /// <summary>Ends the reply successfully.</summary>
        public void Ok()
        {
            if (JsonMode)
            {
                string body = "{\"ok\":true,\"cmd\":\"" + Escape(_command) + "\"";
                if (_json != null)
                {
                    body += "," + _json;
                }

                if (_rows != null)
                {
                    body += ",\"rows\":[" + _rows + "]";
                }

                WriteLine(body + "}");
            }
            else
            {
                WriteLine("OK");
            }

            _json = null;
            _rows = null;
        }

        /// <summary>Ends the reply with an error (one of <see cref="ShellMessages"/>).</summary>
        public void Error(string reason)
        {
            if (JsonMode)
            {
                WriteLine("{\"ok\":false,\"cmd\":\"" + Escape(_command) + "\",\"error\":\"" + Escape(reason) + "\"}");
            }
            else
            {
                WriteLine("ERR " + reason);
            }

            _json = null;
            _rows = null;
        }

        /// <summary>Writes an unsolicited event line (detections with log on).</summary>
        public void Event(string text, string json)
        {
            WriteLine(JsonMode ? json : text);
        }

        private void Append(string member)
        {
            _json = _json == null ? member : _json + "," + member;
        }

        private static string Escape(string s)
        {
            bool plain = true;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] == '"' || s[i] == '\\')
                {
                    plain = false;
                }
            }

            if (plain)
            {
                return s;
            }

            var chars = new char[s.Length * 2];
            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] == '"' || s[i] == '\\')
                {
                    chars[n++] = '\\';
                }

                chars[n++] = s[i];
            }

            return new string(chars, 0, n);
        }

        /// <summary>Writes one line (ASCII; other characters become '?').</summary>
        public void WriteLine(string text)
        {
            var bytes = new byte[text.Length + 2];
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bytes[i] = c < 0x80 ? (byte)c : (byte)'?';
            }

            bytes[text.Length] = (byte)'\r';
            bytes[text.Length + 1] = (byte)'\n';
            _port.Write(bytes, 0, bytes.Length);
        }
    }
}
