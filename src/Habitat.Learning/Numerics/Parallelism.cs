using System.Runtime.ExceptionServices;

namespace Habitat.Learning.Numerics;

/// <summary>Parallel loops that fail like sequential ones: the first error is rethrown as itself, not wrapped.</summary>
internal static class Parallelism
{
    public static void For(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
        }
    }
}
