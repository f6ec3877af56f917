namespace Serai.Scheduling.Scores;

/// <summary>A score plugin of a profile with its weight (> 0; a profile leaves out scores weighted 0).</summary>
public readonly record struct WeightedScore(IPoolScore Score, double Weight);
