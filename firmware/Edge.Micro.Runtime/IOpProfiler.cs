namespace Edge.Micro.Runtime
{
    /// <summary>Receives one call per op after it ran (the diagnostics console's per-op timing).</summary>
    public interface IOpProfiler
    {
        /// <summary>Op <paramref name="opIndex"/> with <paramref name="opCode"/> took <paramref name="elapsedTicks"/> (100 ns units).</summary>
        void OpFinished(int opIndex, int opCode, long elapsedTicks);
    }
}
