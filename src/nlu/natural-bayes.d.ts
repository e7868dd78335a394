// Types for the one natural module we load. We import it by its file path because natural's package index
// requires dotenv (it prints "injected env" lines and reads .env) and mongoose, pg and redis clients.
declare module 'natural/lib/natural/classifiers/bayes_classifier.js' {
  namespace BayesClassifier {
    interface Stemmer {
      tokenizeAndStem(text: string, keepStops?: boolean): string[];
    }
    interface Classification {
      label: string;
      value: number;
    }
    /** apparatus' model: per label, feature index → smoothed document count. */
    interface ApparatusBayes {
      classFeatures: Record<string, Record<string, number>>;
      classTotals: Record<string, number>;
      totalExamples: number;
      smoothing: number;
      /** Counts one observation: dense 0/1 array, or sparse object whose values are feature indexes. */
      addExample(observation: number[] | Record<string, number>, label: string): void;
      train(): void;
    }
  }
  class BayesClassifier {
    constructor(stemmer?: BayesClassifier.Stemmer, smoothing?: number);
    classifier: BayesClassifier.ApparatusBayes;
    /** Feature → document frequency; key order defines the feature index. */
    features: Record<string, number>;
    docs: { label: string; text: string[] }[];
    /** Number of docs already fed to the apparatus classifier. */
    lastAdded: number;
    addDocument(text: string | string[], classification: string): void;
    train(): void;
    /** The 0/1 vector over `features` (in key order) that train() feeds to apparatus. */
    textToFeatures(observation: string | string[]): number[];
    classify(observation: string | string[]): string;
    getClassifications(observation: string | string[]): BayesClassifier.Classification[];
    static restore(classifier: unknown, stemmer?: BayesClassifier.Stemmer): BayesClassifier;
  }
  export = BayesClassifier;
}
