package io.tributary.rewards.writing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingCorpus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NgramModelTest {
    @Test
    void conditionalProbabilitiesSumToOne() {
        NgramModel m = NgramModel.train(List.of("the cat sat .", "the dog sat on the mat .", "a cat ran ."));
        List<String> vocab = List.of("the", "cat", "sat", ".", "dog", "on", "mat", "a", "ran");
        for (String prev : List.of("the", "sat", ".", "unseen")) {
            double sum = 0;
            for (String w : vocab) {
                sum += Math.exp(m.logProb(prev, w));
            }
            // the rest is the unknown-word share of the uniform level
            double unknown = Math.exp(m.logProb(prev, "zebra"));
            assertEquals(1.0, sum + unknown, 1e-9, "context " + prev);
        }
        assertTrue(m.logProb("the", "cat") > m.logProb("the", "ran"));
    }

    @Test
    void heldOutCorpusTextScoresBetterThanShuffledWords() {
        NgramModel m = NgramModel.ofTrainingCorpus();
        double fluent = 0;
        double shuffled = 0;
        int n = 0;
        Random r = new Random(1);
        for (String line : WritingCorpus.load().heldOut().subList(0, 500)) {
            List<String> w = WordTokenizer.words(line);
            List<String> s = new ArrayList<>(w);
            Collections.shuffle(s, r);
            fluent += m.meanLogProb(w);
            shuffled += m.meanLogProb(s);
            n++;
        }
        System.out.printf("n-gram fluency: held-out lines %.3f, shuffled %.3f nats per token%n", fluent / n, shuffled / n);
        assertTrue(fluent / n > shuffled / n + 1.0);
    }
}
