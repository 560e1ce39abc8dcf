(ns stmlog.bench.agent-overhead
  "A conflict-free Clojure refs workload for benchmarks/agent-overhead.sh: each thread runs
  dosync blocks on refs of its own (an alter of a counter, a read of another, a commute), so
  that no transaction ever retries. Prints the median ns per transaction of the measured rounds.")

(defn- worker [n]
  (let [counter (ref 0) total (ref 0) seen (ref 0)]
    (dotimes [i n]
      (dosync
        (alter counter inc)
        (commute total + i)
        (ref-set seen (+ @counter @total))))
    @seen))

(defn- round
  "ns per transaction of one round: threads workers, n transactions each."
  [threads n]
  (let [start (System/nanoTime)
        fs (doall (for [_ (range threads)] (future (worker n))))]
    (doseq [f fs] @f)
    (/ (double (- (System/nanoTime) start)) (* threads n))))

(defn -main [threads n warmups rounds]
  (let [threads (Long/parseLong threads) n (Long/parseLong n)
        warmups (Long/parseLong warmups) rounds (Long/parseLong rounds)]
    (dotimes [_ warmups] (round threads n))
    (let [ns (sort (for [_ (range rounds)] (round threads n)))]
      (println (format "ns-per-tx %.1f" (nth ns (quot (count ns) 2))))))
  (shutdown-agents))
