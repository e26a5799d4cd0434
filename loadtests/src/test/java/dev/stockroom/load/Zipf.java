package dev.stockroom.load;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ranks drawn with Zipf-like popularity, P(rank k) proportional to 1 / (k + 1)^exponent: a few SKUs get most of the
 * browsing, a long tail gets a little each, as in a real catalogue.
 */
final class Zipf {

    private final double[] cumulative;

    Zipf(int ranks, double exponent) {
        cumulative = new double[ranks];
        double sum = 0;
        for (int k = 0; k < ranks; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < ranks; k++) {
            cumulative[k] /= sum;
        }
    }

    int next() {
        int i = Arrays.binarySearch(cumulative, ThreadLocalRandom.current().nextDouble());
        return Math.min(i >= 0 ? i : -i - 1, cumulative.length - 1);
    }
}
