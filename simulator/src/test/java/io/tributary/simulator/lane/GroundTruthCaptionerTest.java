package io.tributary.simulator.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The default captioner's phrases, announcements and mirror. */
class GroundTruthCaptionerTest {
    private final Vocabulary vocab = Vocabulary.shipped();
    private final GroundTruthCaptioner captioner = new GroundTruthCaptioner();
    private final SceneFacts facts = new SceneFacts();
    private final Caption caption = new Caption();

    @Test
    void phrasesCurveObstacleAndLead() {
        facts.curvatureAhead = 0.04;
        facts.obstacleAhead = true;
        facts.obstacleDistance = 31;
        facts.obstacleLateral = -4.0;
        facts.leadAhead = true;
        facts.leadDistance = 23;
        captioner.caption(facts, vocab, caption);
        assertEquals("sharp curve left ahead , obstacle on the right shoulder 30 m , lead vehicle ahead 25 m",
                vocab.decode(caption.tokens));
        assertEquals(1, caption.curve);
        assertEquals(-1, caption.obstacleSide);
        facts.curvatureAhead = -0.02;
        facts.obstacleLateral = 4.0;
        facts.leadAhead = false;
        captioner.caption(facts, vocab, caption);
        assertEquals("gentle curve right ahead , obstacle in the left lane 30 m , clear road", vocab.decode(caption.tokens));
        assertEquals(-1, caption.curve);
        assertEquals(1, caption.obstacleSide);
        facts.curvatureAhead = 0.005;
        facts.obstacleAhead = false;
        captioner.caption(facts, vocab, caption);
        assertEquals("straight road ahead , clear road", vocab.decode(caption.tokens));
        assertEquals(0, caption.curve);
        assertEquals(0, caption.obstacleSide);
        assertEquals(Vocabulary.PAD, caption.tokens[Caption.LENGTH - 1]);
    }

    @Test
    void mirrorSwapsLeftAndRightOnly() {
        assertEquals(vocab.id("right"), vocab.mirror(vocab.id("left")));
        assertEquals(vocab.id("left"), vocab.mirror(vocab.id("right")));
        assertEquals(vocab.id("curve"), vocab.mirror(vocab.id("curve")));
        for (int i = 0; i < vocab.size(); i++) {
            assertEquals(i, vocab.mirror(vocab.mirror(i)));
        }
        assertEquals(Vocabulary.UNK, vocab.id("zebra"));
    }
}
