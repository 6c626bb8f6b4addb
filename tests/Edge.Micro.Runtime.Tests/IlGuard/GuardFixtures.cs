namespace Edge.Micro.Runtime.Tests.IlGuard;

/// <summary>
/// Code nanoFramework 1.x cannot run, compiled into this (net10.0) test assembly so the guard can be shown
/// to catch each construct by name. Never called.
/// </summary>
public static class GuardFixtures
{
    public static T GenericMethod<T>(T value) => value;

    public static int MultidimensionalArray() => new int[2, 2].Length;

    public static int StackAlloc()
    {
        Span<byte> bytes = stackalloc byte[16];
        return bytes.Length;
    }
}
