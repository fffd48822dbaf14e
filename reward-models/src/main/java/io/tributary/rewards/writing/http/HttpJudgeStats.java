package io.tributary.rewards.writing.http;

/**
 * Counters of one {@link HttpPairwiseJudge}, for the metrics topic and for tests that check what reached
 * the server.
 *
 * @param requestsSent        HTTP requests sent (every attempt)
 * @param retries             attempts after the first one of a judgement
 * @param verdicts            judgements that returned a verdict
 * @param malformedReplies    judgements that ended in {@link JudgeReplyException}
 * @param callFailures        judgements that ended in {@link JudgeCallException}
 * @param rejectedWhileOpen   judgements refused by the open breaker, no request sent
 * @param breakerState        the breaker's state when the snapshot was taken
 * @param breakerTimesOpened  how often the breaker has opened
 */
public record HttpJudgeStats(long requestsSent, long retries, long verdicts, long malformedReplies, long callFailures,
                             long rejectedWhileOpen, CircuitBreaker.State breakerState, long breakerTimesOpened) {
}
