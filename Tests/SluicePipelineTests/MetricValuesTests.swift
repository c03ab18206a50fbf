import PropertyBased
import SluicePipeline
import Testing

@Suite("metric values")
struct MetricValuesTests {
    @Test("hold any number of values as the array they came from, and compare by their elements")
    func behaveAsTheArray() async {
        await propertyCheck(count: 200, input: Gen.double(in: -1e9...1e9).array(of: 0...5)) { array in
            let values = MetricValues(array)
            #expect(Array(values) == array)
            #expect(values.count == array.count && values.isEmpty == array.isEmpty)
            #expect(values.first == array.first && values.last == array.last)
            #expect(values.reduce(0, +) == array.reduce(0, +))
            #expect(values == MetricValues(Array(array)))
            #expect(values != MetricValues(array + [1]))
            if let single = array.first, array.count == 1 {
                #expect(values == MetricValues(single))
            }
        }
        #expect(MetricValues(2.5) == [2.5] && MetricValues([]) == [] && MetricValues([1, 2]) != [2, 1])
    }
}
