namespace Edge.Micro.Device.Shell
{
    /// <summary>Every error the shell can answer, each declared once (docs/console.md lists them).</summary>
    public static class ShellMessages
    {
        public const string UnknownCommand = "unknown command (try help)";
        public const string LineTooLong = "line too long";
        public const string BadArguments = "wrong arguments";
        public const string BadNumber = "not a number";
        public const string OutOfRange = "value out of range";
        public const string UnknownLabel = "unknown label";
        public const string NoSelfTest = "the model has no self-test case (convert without --no-selftest)";
        public const string SelfTestFailed = "self-test output differs";
        public const string NotPrintable = "line has non-printable characters";
        public const string NoModelStore = "this device has no model store (simulate --store, docs/fleet.md)";
    }
}
