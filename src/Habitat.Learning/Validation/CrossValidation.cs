using Habitat.Learning.Data;
using Habitat.Learning.Models;
using Habitat.Learning.Preprocessing;

namespace Habitat.Learning.Validation;

/// <summary>Out-of-fold prediction on a given fold assignment.</summary>
public static class CrossValidation
{
    /// <summary>
    /// For each fold, z-scores the features on the other folds (population SD), trains the classifier there and
    /// predicts the held-out fold; returns the out-of-fold probability of label 1 for every case.
    /// </summary>
    public static double[] OutOfFoldProbabilities(CohortTable cohort, FoldAssignment folds, ClassifierSpec classifier, int seed = 0)
    {
        if (folds.FoldOfRow.Length != cohort.Count) throw new ArgumentException("fold assignment and cohort differ in size");
        var probabilities = new double[cohort.Count];
        foreach (var fold in folds.Folds)
        {
            var (train, test) = folds.Split(fold);
            var trainX = cohort.Features.SelectRows(train);
            var scaler = ZScore.Fit(trainX);
            var model = classifier.CreateTrainer(seed).Fit(scaler.Transform(trainX), train.Select(i => cohort.Labels[i]).ToArray());
            var testX = scaler.Transform(cohort.Features.SelectRows(test));
            for (int i = 0; i < test.Length; i++) probabilities[test[i]] = model.Probability(testX.Row(i));
        }
        return probabilities;
    }

    /// <summary>Out-of-fold probabilities of a full recipe (every step refitted on each fold's training cases).</summary>
    public static double[] OutOfFoldProbabilities(CohortTable cohort, FoldAssignment folds, ModelSpec spec)
    {
        if (folds.FoldOfRow.Length != cohort.Count) throw new ArgumentException("fold assignment and cohort differ in size");
        var probabilities = new double[cohort.Count];
        foreach (var fold in folds.Folds)
        {
            var (train, test) = folds.Split(fold);
            var model = TrainedPipeline.Fit(cohort.Subset(train), spec);
            var p = model.Probabilities(cohort.Subset(test));
            for (int i = 0; i < test.Length; i++) probabilities[test[i]] = p[i];
        }
        return probabilities;
    }
}
