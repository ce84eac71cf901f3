import streamlit as st

st.write("practice")
