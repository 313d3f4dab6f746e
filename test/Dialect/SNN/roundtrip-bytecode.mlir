// RUN: %snn-gen-network paper --seed 11 -o %t.mlir
// RUN: snn-opt %t.mlir -o %t.txt
// RUN: snn-opt %t.mlir --emit-bytecode -o %t.mlirbc
// RUN: snn-opt %t.mlirbc -o %t.from-bc.txt
// RUN: diff %t.txt %t.from-bc.txt
// RUN: snn-opt %t.mlir --mlir-print-op-generic -o %t.generic.mlir
// RUN: snn-opt %t.generic.mlir -o %t.from-generic.txt
// RUN: diff %t.txt %t.from-generic.txt
// Bytecode and the generic op form carry every parameter bit for bit.
