// RUN: %snn-gen-network large --synapses 40000 --form csr -o %t.csr.mlir
// RUN: snn-opt %t.csr.mlir --verify-roundtrip | FileCheck %s --check-prefix=CSR
// RUN: %snn-gen-network large --synapses 40000 --form dense -o %t.dense.mlir
// RUN: snn-opt %t.dense.mlir --verify-roundtrip | FileCheck %s --check-prefix=DENSE
// Larger networks keep their arrays in blobs, in both storage forms.

// CSR: snn.sparse_projection @fc1 @in -> @hidden {col_idx = dense_resource<fc1_col_idx> : tensor<40000xi32>
// DENSE: snn.projection @fc1 @in -> @hidden {delay = dense_resource<fc1_delay> : tensor<200x200xi32>
